package io.sessionkit.dynamodb;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static io.sessionkit.dynamodb.DynamoDbSessionTable.EXPIRATION;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.ID;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.PAYLOAD;

/**
 * Stores each session as one DynamoDB item: {@code id} (S, the partition key), {@code val}
 * (B, the serialized session) and {@code expiration} (N, epoch seconds, the table's TTL
 * attribute). DynamoDB deletes expired items only eventually (typically within days), so every
 * read also compares {@code expiration} with the configured clock.
 *
 * <p>Each operation is one request: load a strongly consistent {@code GetItem}, save a
 * {@code PutItem}, delete a {@code DeleteItem}, and touch and {@link #loadAndTouch} one
 * {@code UpdateItem} conditioned on a live item, so that neither creates an item nor revives
 * an expired one. Items are limited to 400 KB, checked before sending. Thread-safe. Every
 * operation after {@link #close()} fails as a {@link SessionBackendException}; close closes the
 * client only if the provider built it.
 */
public final class DynamoDbSessionBackend implements SessionBackend, TouchingLoad {

    /** DynamoDB's item size limit: attribute names and values together. */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /** Names and the largest number of {@code id}, {@code val} and {@code expiration}, beside the key and payload. */
    private static final int ITEM_OVERHEAD_BYTES = ID.length() + PAYLOAD.length() + EXPIRATION.length() + 21;

    private static final String LIVE_ITEM = "attribute_exists(#id) AND #exp > :now";

    private final BackendClient<DynamoDbClient> client;
    private final String table;
    private final Clock clock;
    private final String location;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param client   the client, closed with this backend unless it was handed in
     * @param table    the table name; the table is ready
     * @param clock    the time source of expiry decisions
     * @param location table, region and endpoint, for messages
     */
    DynamoDbSessionBackend(BackendClient<DynamoDbClient> client, String table, Clock clock, String location) {
        this.client = client;
        this.table = table;
        this.clock = clock;
        this.location = location;
    }

    @Override
    public byte[] load(String key) {
        Map<String, AttributeValue> item = call("load", () -> client.get().getItem(request -> request
                .tableName(table)
                .key(keyOf(key))
                .consistentRead(true)
                .projectionExpression("#val, #exp")
                .expressionAttributeNames(Map.of("#val", PAYLOAD, "#exp", EXPIRATION))).item());
        return isLive(item) ? item.get(PAYLOAD).b().asByteArray() : null;
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        Map<String, AttributeValue> item = extend("load and touch", key, timeToLive, ReturnValue.ALL_NEW);
        return item != null && item.get(PAYLOAD) != null && item.get(PAYLOAD).b() != null
                ? item.get(PAYLOAD).b().asByteArray() : null;
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        long itemBytes = key.getBytes(StandardCharsets.UTF_8).length + (long) value.length + ITEM_OVERHEAD_BYTES;
        if (itemBytes > MAX_ITEM_BYTES) {
            throw new SessionTooLargeException(itemBytes, MAX_ITEM_BYTES, "a DynamoDB item (400 KB)");
        }
        call("save", () -> client.get().putItem(request -> request.tableName(table).item(Map.of(
                ID, AttributeValue.fromS(key),
                PAYLOAD, AttributeValue.fromB(SdkBytes.fromByteArray(value)),
                EXPIRATION, epochSeconds(expiryAfter(timeToLive))))));
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        extend("touch", key, timeToLive, ReturnValue.NONE);
    }

    @Override
    public void delete(String key) {
        call("delete", () -> client.get().deleteItem(request -> request.tableName(table).key(keyOf(key))));
    }

    @Override
    public void close() {
        closed.set(true);
        client.close();
    }

    @Override
    public String toString() {
        return "DynamoDbSessionBackend[" + location + "]";
    }

    /**
     * Sets a live item's expiry; an absent or expired item is left alone.
     *
     * @return the attributes asked for, or {@code null} when there was no live item
     */
    private Map<String, AttributeValue> extend(String operation, String key, Duration timeToLive, ReturnValue returned) {
        return call(operation, () -> {
            try {
                return client.get().updateItem(request -> request
                        .tableName(table)
                        .key(keyOf(key))
                        .updateExpression("SET #exp = :exp")
                        .conditionExpression(LIVE_ITEM)
                        .expressionAttributeNames(Map.of("#id", ID, "#exp", EXPIRATION))
                        .expressionAttributeValues(Map.of(
                                ":exp", epochSeconds(expiryAfter(timeToLive)),
                                ":now", AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond()))))
                        .returnValues(returned)).attributes();
            } catch (ConditionalCheckFailedException absentOrExpired) {
                return null;
            }
        });
    }

    private static Map<String, AttributeValue> keyOf(String key) {
        return Map.of(ID, AttributeValue.fromS(key));
    }

    private boolean isLive(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty() || item.get(PAYLOAD) == null || item.get(PAYLOAD).b() == null) {
            return false;
        }
        AttributeValue expiration = item.get(EXPIRATION);
        if (expiration == null || expiration.n() == null) {
            return false;
        }
        return Long.parseLong(expiration.n()) > clock.instant().getEpochSecond();
    }

    private Instant expiryAfter(Duration timeToLive) {
        return clock.instant().plus(timeToLive);
    }

    /** Rounded up, so an entry never lives shorter than asked: TTL attributes hold whole seconds. */
    private static AttributeValue epochSeconds(Instant instant) {
        long seconds = instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
        return AttributeValue.fromN(Long.toString(seconds));
    }

    private <T> T call(String operation, Supplier<T> request) {
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
            message = location + " does not exist: " + e.getMessage();
        } else if (e instanceof ApiCallTimeoutException) {
            message = "DynamoDB did not answer for " + location + " within SESSION_DYNAMODB_TIMEOUT;"
                    + " check SESSION_DYNAMODB_ENDPOINT_URL / SESSION_DYNAMODB_REGION and the network: " + e.getMessage();
        } else if (e instanceof SdkClientException) {
            message = "could not reach DynamoDB for " + location
                    + "; check SESSION_DYNAMODB_ENDPOINT_URL / SESSION_DYNAMODB_REGION and the network: " + e.getMessage();
        } else {
            message = "DynamoDB refused the request on " + location + ": " + e.getMessage();
        }
        return new SessionBackendException(DynamoDbSessionBackendProvider.TYPE, operation, message, e);
    }
}
