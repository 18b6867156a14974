package io.sessionkit.dynamodb;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.Capabilities;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.sessionkit.dynamodb.DynamoDbRequests.payloadOf;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.EXPIRATION;
import static io.sessionkit.dynamodb.DynamoDbSessionTable.PAYLOAD;

/**
 * Stores each session as one DynamoDB item: {@code id} (S, the partition key), {@code val}
 * (B, the serialized session), {@code expiration} (N, epoch seconds, the table's TTL attribute)
 * and {@code version} (N), with {@code lockToken} and {@code lockUntil} while a session lock is
 * held, and {@code principal} while the session belongs to a user. DynamoDB deletes expired
 * items only eventually (typically within days), so every read also compares {@code expiration}
 * with the configured clock.
 *
 * <p>Each operation is one request: load a strongly consistent {@code GetItem}, save an
 * {@code UpdateItem} that sets payload and expiry and adds 1 to {@code version} (leaving a held
 * lock alone), delete a {@code DeleteItem}, and touch and {@link #loadAndTouch} one
 * {@code UpdateItem} conditioned on a live item, so that neither creates an item nor revives an
 * expired one. None of them changes the session's {@code principal}. Items are limited to 400 KB,
 * checked before sending. Capabilities beyond {@link TouchingLoad}: {@link ConditionalWrites} and
 * {@link ExpiryReportingLoad} ({@link DynamoDbConditionalWrites}), {@link SessionLocks}
 * ({@link DynamoDbSessionLocks}), {@link SessionListing} ({@link DynamoDbSessionListing}) and, when
 * the table has the principal index, {@link PrincipalIndex} ({@link DynamoDbPrincipalIndex}).
 * Thread-safe. Every operation after
 * {@link #close()} fails as a {@link SessionBackendException}; close closes the client only if
 * the provider built it.
 */
public final class DynamoDbSessionBackend implements SessionBackend, TouchingLoad {

    private final BackendClient<DynamoDbClient> client;
    private final DynamoDbRequests requests;
    private final Capabilities capabilities;

    /**
     * @param client         the client, closed with this backend unless it was handed in
     * @param requests       the table, of {@code client}
     * @param principalIndex whether the table has the principal index, so that a user's sessions
     *                       can be found
     */
    DynamoDbSessionBackend(BackendClient<DynamoDbClient> client, DynamoDbRequests requests, boolean principalIndex) {
        this.client = client;
        this.requests = requests;
        DynamoDbConditionalWrites writes = new DynamoDbConditionalWrites(requests);
        Capabilities offered = Capabilities.none()
                .with(ConditionalWrites.class, writes)
                .with(ExpiryReportingLoad.class, writes)
                .with(SessionLocks.class, new DynamoDbSessionLocks(requests))
                .with(SessionListing.class, new DynamoDbSessionListing(requests));
        this.capabilities = principalIndex ? offered.with(PrincipalIndex.class, new DynamoDbPrincipalIndex(requests)) : offered;
    }

    @Override
    public byte[] load(String key) {
        Map<String, AttributeValue> item = requests.run("load", () -> requests.client().getItem(request -> request
                .tableName(requests.table())
                .key(requests.keyOf(key))
                .consistentRead(true)
                .projectionExpression("#val, #exp")
                .expressionAttributeNames(Map.of("#val", PAYLOAD, "#exp", EXPIRATION))).item());
        return requests.isLive(item) ? payloadOf(item) : null;
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        return payloadOf(requests.extend("load and touch", key, timeToLive, ReturnValue.ALL_NEW));
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        UpdateItemRequest write = requests.write(key, value, timeToLive, null, Map.of());
        requests.run("save", () -> requests.client().updateItem(write));
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        requests.extend("touch", key, timeToLive, ReturnValue.NONE);
    }

    @Override
    public void delete(String key) {
        requests.run("delete", () -> requests.client().deleteItem(request -> request
                .tableName(requests.table()).key(requests.keyOf(key))));
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return capabilities.find(type).or(() -> SessionBackend.super.capability(type));
    }

    @Override
    public void close() {
        requests.close();
        client.close();
    }

    @Override
    public String toString() {
        return "DynamoDbSessionBackend[" + requests.location() + "]";
    }
}
