package io.sessionkit.dynamodb;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.VersionedEntry;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static io.sessionkit.dynamodb.DynamoDbRequests.namesIn;
import static io.sessionkit.dynamodb.DynamoDbRequests.payloadOf;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.EXPIRATION;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.VERSION;

/**
 * Conditional writes on DynamoDB, and the read that reports the expiry ({@link ExpiryReportingLoad}:
 * the {@code GetItem} of {@link #loadVersioned}, whose {@code expiration} is whole seconds), each one request whose {@code ConditionExpression} DynamoDB
 * checks and applies atomically with the write; a failed condition
 * ({@code ConditionalCheckFailedException}) is the answer {@code false}, any other failure a
 * {@link io.sessionkit.SessionBackendException}.
 *
 * <ul>
 *   <li>{@link #loadVersioned}: {@code GetItem} with {@code ConsistentRead};</li>
 *   <li>{@link #loadVersionedAndTouch}: {@code UpdateItem SET expiration} under
 *       {@code attribute_exists(id) AND expiration > :now}, returning {@code ALL_NEW} (the version
 *       is left alone);</li>
 *   <li>{@link #create}: {@code UpdateItem} under {@code attribute_not_exists(id) OR expiration <= :now},
 *       which also removes the {@code principal} of an expired item it overwrites;</li>
 *   <li>{@link #replace}: {@code UpdateItem} under {@code version = :expected AND expiration > :now};</li>
 *   <li>{@link #delete}: {@code DeleteItem} under the same condition.</li>
 * </ul>
 * Every write sets the payload and adds 1 to {@code version} in the same request, so the version
 * only grows: a version once read never comes back. An item without {@code version} (written by
 * a release before it) is version 0, and the first write gives it version 1. A replace keeps the
 * session's {@code principal}.
 *
 * <p>The SDK resends a request whose answer was lost (a timeout, a 500). A resent create or
 * replace whose first attempt was applied finds its condition failed by its own write; such a
 * write asks for the item as it was on failure ({@code ReturnValuesOnConditionCheckFailure
 * ALL_OLD}), and finding its own bytes there (and, for a replace, the version after the expected
 * one) counts as success, so the engine neither reports a taken id nor merges onto its own
 * change. Thread-safe.
 */
final class DynamoDbConditionalWrites implements ConditionalWrites, ExpiryReportingLoad {

    private static final String FREE_OR_EXPIRED = "attribute_not_exists(#id) OR #exp <= :now";

    private final DynamoDbRequests requests;

    DynamoDbConditionalWrites(DynamoDbRequests requests) {
        this.requests = requests;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        String projection = "#val, #exp, #ver";
        Map<String, AttributeValue> item = requests.run("load", () -> requests.client().getItem(request -> request
                .tableName(requests.table())
                .key(requests.keyOf(key))
                .consistentRead(true)
                .projectionExpression(projection)
                .expressionAttributeNames(namesIn(projection))).item());
        return requests.isLive(item) ? entryOf(item) : null;
    }

    /**
     * The read of {@link #loadVersioned}, which projects the expiry anyway.
     */
    @Override
    public VersionedEntry loadWithExpiry(String key) {
        return loadVersioned(key);
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        Map<String, AttributeValue> item = requests.extend("load and touch", key, timeToLive, ReturnValue.ALL_NEW);
        return payloadOf(item) == null ? null : entryOf(item);
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        UpdateItemRequest write = requests.writeNew(key, value, timeToLive, FREE_OR_EXPIRED, Map.of(":now", requests.now()));
        return written("create", write, value, null);
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        Map<String, AttributeValue> values = versionValues(expectedVersion);
        UpdateItemRequest write = requests.write(key, value, timeToLive, liveAt(expectedVersion), values);
        return written("replace", write, value, expectedVersion + 1);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        String condition = liveAt(expectedVersion);
        Map<String, AttributeValue> values = versionValues(expectedVersion);
        return requests.runIf("delete", () -> requests.client().deleteItem(request -> request
                .tableName(requests.table())
                .key(requests.keyOf(key))
                .conditionExpression(condition)
                .expressionAttributeNames(namesIn(condition))
                .expressionAttributeValues(values)));
    }

    /**
     * Sends a conditional write.
     *
     * @param ownVersion the version the item has after this write, or {@code null} when it cannot
     *                   be known in advance (a create over an expired item)
     * @return whether the item now holds this write
     */
    private boolean written(String operation, UpdateItemRequest write, byte[] value, Long ownVersion) {
        UpdateItemRequest reportingFailure = write.toBuilder()
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
        return requests.run(operation, () -> {
            try {
                requests.client().updateItem(reportingFailure);
                return true;
            } catch (ConditionalCheckFailedException e) {
                return isOwnWrite(e.item(), value, ownVersion);
            }
        });
    }

    /** Whether the item a condition failed on is this very write, applied by an earlier attempt. */
    private boolean isOwnWrite(Map<String, AttributeValue> item, byte[] value, Long ownVersion) {
        if (!requests.isLive(item) || !Arrays.equals(payloadOf(item), value)) {
            return false;
        }
        return ownVersion == null || ownVersion == versionOf(item);
    }

    /**
     * The condition on a live item still of {@code version}. Version 0 is an item of an earlier
     * release, which has a payload but no version attribute.
     */
    private static String liveAt(long version) {
        return version == 0
                ? "attribute_not_exists(#ver) AND attribute_exists(#val) AND #exp > :now"
                : "#ver = :expected AND #exp > :now";
    }

    private Map<String, AttributeValue> versionValues(long version) {
        return version == 0
                ? Map.of(":now", requests.now())
                : Map.of(":now", requests.now(), ":expected", AttributeValue.fromN(Long.toString(version)));
    }

    private static VersionedEntry entryOf(Map<String, AttributeValue> item) {
        AttributeValue expiration = item.get(EXPIRATION);
        Instant expiresAt = expiration == null || expiration.n() == null ? null
                : Instant.ofEpochSecond(Long.parseLong(expiration.n()));
        return new VersionedEntry(payloadOf(item), versionOf(item), expiresAt);
    }

    private static long versionOf(Map<String, AttributeValue> item) {
        AttributeValue version = item.get(VERSION);
        return version == null || version.n() == null ? 0 : Long.parseLong(version.n());
    }
}
