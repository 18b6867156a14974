package io.sessionkit.dynamodb;

import io.sessionkit.spi.KeyCursor;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.SessionListing;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sessionkit.dynamodb.DynamoDbRequests.namesIn;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.ID;

/**
 * Counting and listing sessions on DynamoDB with a {@code Scan} of the table: DynamoDB has no
 * order of partition keys to read a prefix's range from, so every request reads items in the
 * table's own order and keeps those that {@code begins_with(id, :prefix) AND expiration > :now
 * AND attribute_exists(val)} (an expired item TTL has not deleted yet, and an item holding only a
 * lock, are left out). Reads are strongly consistent, so a session just deleted is not listed.
 *
 * <ul>
 *   <li>{@link #count}: {@code Scan} with {@code Select COUNT}, paged through
 *       {@code LastEvaluatedKey}: one request per 1 MB of the table (all of its items are read,
 *       whatever their prefix).</li>
 *   <li>{@link #list}: one {@code Scan} with {@code Limit} set to the page's limit: it reads that
 *       many items (or 1 MB) and returns the matching ones, so a page may hold fewer, even none,
 *       while its cursor says where to go on. The cursor is the prefix and the
 *       {@code LastEvaluatedKey}, base64url-encoded behind a marker.</li>
 * </ul>
 * Thread-safe.
 */
final class DynamoDbSessionListing implements SessionListing {

    private static final KeyCursor CURSORS = new KeyCursor("ddb1.", "DynamoDB");
    private static final String LIVE_SESSION = "#exp > :now AND attribute_exists(#val)";
    private static final String OF_PREFIX = "begins_with(#id, :prefix) AND " + LIVE_SESSION;
    private static final String LISTED = "#id, #val, #exp";

    private final DynamoDbRequests requests;

    DynamoDbSessionListing(DynamoDbRequests requests) {
        this.requests = requests;
    }

    @Override
    public long count(String keyPrefix) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest scan = scan(keyPrefix, start).select(Select.COUNT).build();
            ScanResponse page = requests.run("count sessions", () -> requests.client().scan(scan));
            count += page.count();
            start = lastKeyOf(page);
        } while (start != null);
        return count;
    }

    @Override
    public ListedPage list(String keyPrefix, String cursor, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit was " + limit + " but it must be positive");
        }
        Map<String, AttributeValue> start = cursor == null ? null : requests.keyOf(CURSORS.lastKey(cursor, keyPrefix));
        ScanRequest.Builder scan = scan(keyPrefix, start).limit(limit).projectionExpression(LISTED);
        ScanRequest request = scan.expressionAttributeNames(namesIn(filterOf(keyPrefix), LISTED)).build();
        ScanResponse page = requests.run("list sessions", () -> requests.client().scan(request));
        List<ListedEntry> entries = new ArrayList<>(page.items().size());
        for (Map<String, AttributeValue> item : page.items()) {
            ListedEntry entry = requests.listedEntryOf(item);
            if (entry != null) {
                entries.add(entry);
            }
        }
        Map<String, AttributeValue> last = lastKeyOf(page);
        return new ListedPage(entries, last == null ? null : CURSORS.after(keyPrefix, last.get(ID).s()));
    }

    /** A strongly consistent scan of the live sessions of {@code keyPrefix}, from after {@code start}. */
    private ScanRequest.Builder scan(String keyPrefix, Map<String, AttributeValue> start) {
        String filter = filterOf(keyPrefix);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", requests.now());
        if (!keyPrefix.isEmpty()) {
            values.put(":prefix", AttributeValue.fromS(keyPrefix));
        }
        return ScanRequest.builder()
                .tableName(requests.table())
                .consistentRead(true)
                .filterExpression(filter)
                .expressionAttributeNames(namesIn(filter))
                .expressionAttributeValues(values)
                .exclusiveStartKey(start);
    }

    /** DynamoDB refuses an empty string in {@code begins_with}; every key starts with "" anyway. */
    private static String filterOf(String keyPrefix) {
        return keyPrefix.isEmpty() ? LIVE_SESSION : OF_PREFIX;
    }

    private static Map<String, AttributeValue> lastKeyOf(ScanResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    }
}
