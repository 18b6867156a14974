package io.sessionkit.dynamodb;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.Redaction;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static io.sessionkit.dynamodb.DynamoDbSessionTable.EXPIRATION;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.ID;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.LOCK_TOKEN;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.LOCK_UNTIL;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.PAYLOAD;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.PRINCIPAL;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.VERSION;

/**
 * The sessions table as every operation of the store uses it: the client, the table, the time of
 * expiry and lease decisions, the requests several operations share, and one way to send a
 * request, which refuses to send after close and turns the SDK's failures into
 * {@link SessionBackendException}. Shared by the backend and its capabilities. Thread-safe.
 */
final class DynamoDbRequests {

    /** DynamoDB's item size limit: attribute names and values together. */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /**
     * Everything of an item beside its key and payload, at most: the attribute names, three
     * numbers of at most 21 bytes (expiry, version, lease end), a lock token of up to 64 bytes
     * and a principal of up to 256 UTF-16 characters (768 bytes of UTF-8), so that a session of the
     * largest size accepted can still be locked and given a user.
     */
    static final int ITEM_OVERHEAD_BYTES = ID.length() + PAYLOAD.length() + EXPIRATION.length() + VERSION.length()
            + LOCK_TOKEN.length() + LOCK_UNTIL.length() + PRINCIPAL.length() + 3 * 21 + 64 + 3 * 256;

    /** A live item: it exists and has not expired. */
    static final String LIVE_ITEM = "attribute_exists(#id) AND #exp > :now";

    /**
     * Every placeholder the expressions of this store use, with the attribute it stands for; none
     * is the beginning of another, so an expression uses one if it contains it.
     */
    private static final Map<String, String> PLACEHOLDERS = Map.of("#id", ID, "#val", PAYLOAD, "#exp", EXPIRATION,
            "#ver", VERSION, "#token", LOCK_TOKEN, "#until", LOCK_UNTIL, "#principal", PRINCIPAL);

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final String location;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param client   the client
     * @param table    the table name; the table is ready
     * @param clock    the time source of expiry and lease decisions
     * @param location table, region and endpoint, for messages
     */
    DynamoDbRequests(DynamoDbClient client, String table, Clock clock, String location) {
        this.client = client;
        this.table = table;
        this.clock = clock;
        this.location = location;
    }

    DynamoDbClient client() {
        return client;
    }

    String table() {
        return table;
    }

    String location() {
        return location;
    }

    Map<String, AttributeValue> keyOf(String key) {
        return Map.of(ID, AttributeValue.fromS(key));
    }

    /** Now in epoch seconds, as {@link #EXPIRATION} holds it: an item is live while its expiry is after this. */
    AttributeValue now() {
        return AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond()));
    }

    long nowMillis() {
        return clock.millis();
    }

    /** Rounded up, so an entry never lives shorter than asked: TTL attributes hold whole seconds. */
    AttributeValue expiryAfter(Duration timeToLive) {
        Instant instant = clock.instant().plus(timeToLive);
        long seconds = instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
        return AttributeValue.fromN(Long.toString(seconds));
    }

    /**
     * @return the expression attribute names of the placeholders used in {@code expressions}
     *         (DynamoDB refuses names that no expression uses)
     */
    static Map<String, String> namesIn(String... expressions) {
        Map<String, String> names = new HashMap<>();
        PLACEHOLDERS.forEach((placeholder, attribute) -> {
            for (String expression : expressions) {
                if (expression != null && expression.contains(placeholder)) {
                    names.put(placeholder, attribute);
                }
            }
        });
        return names;
    }

    /**
     * The request of every write of a session's bytes: payload, expiry and a new version, so that
     * a reader holding the old version can no longer replace or delete it. Other attributes (a
     * held lock, the principal) are left alone. An {@code UpdateItem}, which creates the item when
     * it is missing (a {@code PutItem} would replace the whole item, principal included).
     *
     * @param condition       the condition, or {@code null} for none
     * @param conditionValues the values the condition uses
     * @throws SessionTooLargeException when the item would exceed DynamoDB's limit
     */
    UpdateItemRequest write(String key, byte[] value, Duration timeToLive, String condition,
                            Map<String, AttributeValue> conditionValues) {
        return write(key, value, timeToLive, condition, conditionValues, false);
    }

    /**
     * The request of {@link #write}, which for a new session also removes the principal of the
     * expired item it may overwrite: a new session never inherits a dead one's user.
     */
    UpdateItemRequest writeNew(String key, byte[] value, Duration timeToLive, String condition,
                               Map<String, AttributeValue> conditionValues) {
        return write(key, value, timeToLive, condition, conditionValues, true);
    }

    private UpdateItemRequest write(String key, byte[] value, Duration timeToLive, String condition,
                                    Map<String, AttributeValue> conditionValues, boolean dropPrincipal) {
        long itemBytes = key.getBytes(StandardCharsets.UTF_8).length + (long) value.length + ITEM_OVERHEAD_BYTES;
        if (itemBytes > MAX_ITEM_BYTES) {
            throw new SessionTooLargeException(itemBytes, MAX_ITEM_BYTES, "a DynamoDB item (400 KB)");
        }
        String update = "SET #val = :val, #exp = :exp ADD #ver :one" + (dropPrincipal ? " REMOVE #principal" : "");
        Map<String, AttributeValue> values = new HashMap<>(conditionValues);
        values.put(":val", AttributeValue.fromB(SdkBytes.fromByteArray(value)));
        values.put(":exp", expiryAfter(timeToLive));
        values.put(":one", AttributeValue.fromN("1"));
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(keyOf(key))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(namesIn(update, condition))
                .expressionAttributeValues(values)
                .build();
    }

    /**
     * Sets a live item's expiry; an absent or expired item is left alone.
     *
     * @return the attributes asked for, or {@code null} when there was no live item
     */
    Map<String, AttributeValue> extend(String operation, String key, Duration timeToLive, ReturnValue returned) {
        return run(operation, () -> {
            try {
                return client.updateItem(request -> request
                        .tableName(table)
                        .key(keyOf(key))
                        .updateExpression("SET #exp = :exp")
                        .conditionExpression(LIVE_ITEM)
                        .expressionAttributeNames(namesIn(LIVE_ITEM))
                        .expressionAttributeValues(Map.of(":exp", expiryAfter(timeToLive), ":now", now()))
                        .returnValues(returned)).attributes();
            } catch (ConditionalCheckFailedException absentOrExpired) {
                return null;
            }
        });
    }

    /**
     * @return whether {@code item} holds a session that has not expired
     */
    boolean isLive(Map<String, AttributeValue> item) {
        if (payloadOf(item) == null) {
            return false;
        }
        AttributeValue expiration = item.get(EXPIRATION);
        if (expiration == null || expiration.n() == null) {
            return false;
        }
        return Long.parseLong(expiration.n()) > clock.instant().getEpochSecond();
    }

    /**
     * @return a listed session of a live item that has its {@code id}, or {@code null}
     */
    ListedEntry listedEntryOf(Map<String, AttributeValue> item) {
        AttributeValue id = item == null ? null : item.get(ID);
        if (id == null || id.s() == null || !isLive(item)) {
            return null;
        }
        return new ListedEntry(id.s(), payloadOf(item), Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRATION).n())));
    }

    /**
     * @return the serialized session of an item, or {@code null} when there is none
     */
    static byte[] payloadOf(Map<String, AttributeValue> item) {
        if (item == null || item.get(PAYLOAD) == null || item.get(PAYLOAD).b() == null) {
            return null;
        }
        return item.get(PAYLOAD).b().asByteArray();
    }

    /** From now on every request fails; idempotent. */
    void close() {
        closed.set(true);
    }

    /**
     * Sends one request.
     *
     * @param operation what is attempted, for the error
     * @param request   the request
     * @return what the request returned
     * @throws SessionBackendException when the backend is closed or the request failed
     */
    <T> T run(String operation, Supplier<T> request) {
        if (closed.get()) {
            throw new SessionBackendException(DynamoDbSessionBackendProvider.TYPE, operation,
                    "this backend for " + location + " has been closed", null);
        }
        try {
            return request.get();
        } catch (SdkException e) {
            throw failure(operation, location, e);
        }
    }

    /**
     * Sends one conditional request.
     *
     * @param operation what is attempted, for the error
     * @param request   the request
     * @return {@code false} when its condition failed ({@code ConditionalCheckFailedException})
     * @throws SessionBackendException when the backend is closed or the request failed otherwise
     */
    boolean runIf(String operation, Runnable request) {
        return run(operation, () -> {
            try {
                request.run();
                return true;
            } catch (ConditionalCheckFailedException conditionFailed) {
                return false;
            }
        });
    }

    /**
     * Turns an SDK failure into the store's error, with a hint at the keys to check.
     *
     * @param operation what was attempted
     * @param location  table, region and endpoint
     * @param e         the SDK's exception
     * @return the exception to throw
     */
    static SessionBackendException failure(String operation, String location, SdkException e) {
        String message;
        if (e instanceof ResourceNotFoundException) {
            message = location + " does not exist: " + Redaction.message(e.getMessage());
        } else if (e instanceof ApiCallTimeoutException) {
            message = "DynamoDB did not answer for " + location + " within SESSION_DYNAMODB_TIMEOUT;"
                    + " check SESSION_DYNAMODB_ENDPOINT_URL / SESSION_DYNAMODB_REGION and the network: " + Redaction.message(e.getMessage());
        } else if (e instanceof SdkClientException) {
            message = "could not reach DynamoDB for " + location
                    + "; check SESSION_DYNAMODB_ENDPOINT_URL / SESSION_DYNAMODB_REGION and the network: " + Redaction.message(e.getMessage());
        } else {
            message = "DynamoDB refused the request on " + location + ": " + Redaction.message(e.getMessage());
        }
        return new SessionBackendException(DynamoDbSessionBackendProvider.TYPE, operation, message, e);
    }
}
