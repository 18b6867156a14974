package io.sessionkit.dynamodb;

import io.sessionkit.spi.SessionLocks;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;

import static io.sessionkit.dynamodb.DynamoDbRequests.namesIn;

/**
 * Session locks on DynamoDB: the attributes {@code lockToken} and {@code lockUntil} (the lease's
 * end, epoch milliseconds) of the session's own item, so a lock lives and dies with its session.
 *
 * <ul>
 *   <li>{@link #tryLock}: one {@code UpdateItem} that sets token and lease end under the condition
 *       {@code attribute_not_exists(lockUntil) OR lockUntil <= :now OR lockToken = :token}; a
 *       failed condition is "held". With no item at all the condition holds and DynamoDB creates
 *       an item with the lock only and an {@code expiration} of now, so that every data operation
 *       sees no session there and TTL removes it.</li>
 *   <li>{@link #unlock}: one {@code UpdateItem REMOVE} of both attributes under
 *       {@code lockToken = :token}.</li>
 * </ul>
 * Accepting this token's own lock again makes a request the SDK resends harmless. Leases are
 * measured on the configured clock of each node, so clocks of nodes sharing the table must agree
 * to well within a lease. Thread-safe.
 */
final class DynamoDbSessionLocks implements SessionLocks {

    private static final String TAKE = "SET #token = :token, #until = :until, #exp = if_not_exists(#exp, :now)";
    private static final String FREE = "attribute_not_exists(#until) OR #until <= :nowMillis OR #token = :token";
    private static final String RELEASE = "REMOVE #token, #until";
    private static final String HELD = "#token = :token";

    private final DynamoDbRequests requests;

    DynamoDbSessionLocks(DynamoDbRequests requests) {
        this.requests = requests;
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
        long now = requests.nowMillis();
        Map<String, AttributeValue> values = Map.of(
                ":token", AttributeValue.fromS(token),
                ":until", AttributeValue.fromN(Long.toString(now + lease.toMillis())),
                ":nowMillis", AttributeValue.fromN(Long.toString(now)),
                ":now", requests.now());
        return requests.runIf("lock", () -> requests.client().updateItem(request -> request
                .tableName(requests.table())
                .key(requests.keyOf(key))
                .updateExpression(TAKE)
                .conditionExpression(FREE)
                .expressionAttributeNames(namesIn(TAKE, FREE))
                .expressionAttributeValues(values)));
    }

    @Override
    public void unlock(String key, String token) {
        // A failed condition: the lease ran out and another holder may have the lock now.
        requests.runIf("unlock", () -> requests.client().updateItem(request -> request
                .tableName(requests.table())
                .key(requests.keyOf(key))
                .updateExpression(RELEASE)
                .conditionExpression(HELD)
                .expressionAttributeNames(namesIn(RELEASE, HELD))
                .expressionAttributeValues(Map.of(":token", AttributeValue.fromS(token)))));
    }
}
