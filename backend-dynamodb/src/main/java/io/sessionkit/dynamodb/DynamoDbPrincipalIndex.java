package io.sessionkit.dynamodb;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.PrincipalIndex;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sessionkit.dynamodb.DynamoDbRequests.LIVE_ITEM;
import static io.sessionkit.dynamodb.DynamoDbRequests.namesIn;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.ID;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.PRINCIPAL;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.PRINCIPAL_INDEX;

/**
 * A user's sessions on DynamoDB: the attribute {@code principal} of the session's own item, and
 * the global secondary index {@value DynamoDbSessionTable#PRINCIPAL_INDEX} on it (keys only). The
 * principal lives and dies with the item, so a deleted session leaves the index with it, and an
 * expired one, which DynamoDB's TTL deletes only eventually, is left out by the read.
 *
 * <ul>
 *   <li>{@link #assign}: one {@code UpdateItem} that sets (or removes) {@code principal} under the
 *       condition {@code attribute_exists(id) AND expiration > :now}; a failed condition means the
 *       session is gone, and nothing is done.</li>
 *   <li>{@link #entriesOf}: a {@code Query} of the index ({@code principal = :p}, paged through
 *       {@code LastEvaluatedKey}), then a strongly consistent {@code BatchGetItem} of the keys it
 *       found, at most {@value #BATCH} per request, which returns the payload and expiry and
 *       re-checks each item: an item the index still lists although it is gone, expired or now
 *       of another principal is left out.</li>
 * </ul>
 * A global secondary index is updated asynchronously: on AWS a session appears under its user a
 * short time (usually well under a second) after its principal was assigned, and one that changed
 * user may be missed by either for that time. DynamoDB Local updates it at once. Thread-safe.
 */
final class DynamoDbPrincipalIndex implements PrincipalIndex {

    /** The most keys DynamoDB accepts in one {@code BatchGetItem}. */
    static final int BATCH = 100;
    /** How often keys that DynamoDB left unprocessed (throttling) are asked for again. */
    private static final int UNPROCESSED_RETRIES = 8;
    private static final String OF_PRINCIPAL = "#principal = :principal";
    private static final String LISTED = "#id, #val, #exp, #principal";

    private final DynamoDbRequests requests;

    DynamoDbPrincipalIndex(DynamoDbRequests requests) {
        this.requests = requests;
    }

    @Override
    public void assign(String key, String previous, String principal, Duration timeToLive) {
        String update = principal == null ? "REMOVE #principal" : "SET #principal = :principal";
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", requests.now());
        if (principal != null) {
            values.put(":principal", AttributeValue.fromS(principal));
        }
        requests.runIf("assign a principal", () -> requests.client().updateItem(request -> request
                .tableName(requests.table())
                .key(requests.keyOf(key))
                .updateExpression(update)
                .conditionExpression(LIVE_ITEM)
                .expressionAttributeNames(namesIn(update, LIVE_ITEM))
                .expressionAttributeValues(values)));
    }

    @Override
    public List<ListedEntry> entriesOf(String principal) {
        Set<String> keys = keysInIndex(principal);
        List<ListedEntry> entries = new ArrayList<>(keys.size());
        List<Map<String, AttributeValue>> batch = new ArrayList<>(BATCH);
        for (String key : keys) {
            batch.add(requests.keyOf(key));
            if (batch.size() == BATCH) {
                readInto(entries, batch, principal);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            readInto(entries, batch, principal);
        }
        return entries;
    }

    @Override
    public boolean keptInEntry() {
        return true;
    }

    private Set<String> keysInIndex(String principal) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = requests.run("list the sessions of a principal", () -> requests.client().query(request -> request
                    .tableName(requests.table())
                    .indexName(PRINCIPAL_INDEX)
                    .keyConditionExpression(OF_PRINCIPAL)
                    .expressionAttributeNames(namesIn(OF_PRINCIPAL))
                    .expressionAttributeValues(Map.of(":principal", AttributeValue.fromS(principal)))
                    .exclusiveStartKey(from)));
            for (Map<String, AttributeValue> item : page.items()) {
                keys.add(item.get(ID).s());
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return keys;
    }

    /** Reads the items of {@code keys} as they are now, keeping the live ones still of {@code principal}. */
    private void readInto(List<ListedEntry> entries, List<Map<String, AttributeValue>> keys, String principal) {
        Map<String, KeysAndAttributes> wanted = Map.of(requests.table(), KeysAndAttributes.builder()
                .keys(keys)
                .consistentRead(true)
                .projectionExpression(LISTED)
                .expressionAttributeNames(namesIn(LISTED))
                .build());
        for (int attempt = 0; !wanted.isEmpty(); attempt++) {
            if (attempt > UNPROCESSED_RETRIES) {
                throw new SessionBackendException(DynamoDbSessionBackendProvider.TYPE, "list the sessions of a principal",
                        "DynamoDB left keys unprocessed " + UNPROCESSED_RETRIES + " times for " + requests.location()
                                + "; the table's read capacity is exhausted", null);
            }
            if (attempt > 0) {
                pause(attempt);
            }
            Map<String, KeysAndAttributes> asked = wanted;
            BatchGetItemResponse response = requests.run("list the sessions of a principal",
                    () -> requests.client().batchGetItem(request -> request.requestItems(asked)));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(requests.table(), List.of())) {
                AttributeValue owner = item.get(PRINCIPAL);
                ListedEntry entry = requests.listedEntryOf(item);
                if (entry != null && owner != null && principal.equals(owner.s())) {
                    entries.add(entry);
                }
            }
            wanted = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
    }

    /** Backs off before asking for unprocessed keys again, as DynamoDB asks: 50 ms, doubling. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(50L << Math.min(attempt - 1, 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionBackendException(DynamoDbSessionBackendProvider.TYPE, "list the sessions of a principal",
                    "interrupted", e);
        }
    }
}
