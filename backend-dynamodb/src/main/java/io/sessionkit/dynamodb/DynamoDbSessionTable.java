package io.sessionkit.dynamodb;

import io.sessionkit.SessionBackendException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import java.time.Duration;
import java.util.List;

/**
 * Makes sure the sessions table is there and usable before the first request: checks its key
 * schema, or creates it (on-demand billing, TTL on {@code expiration}) when it is missing and
 * creation is allowed. Run once at start-up.
 */
final class DynamoDbSessionTable {

    /** Partition key: the store key, a string. */
    static final String ID = "id";
    /** The serialized session, binary. */
    static final String PAYLOAD = "val";
    /** Expiry in epoch seconds, a number: the table's TTL attribute. */
    static final String EXPIRATION = "expiration";
    /**
     * The item's version, a number: 1 after the first write, incremented by every write of
     * {@link #PAYLOAD} in the same request; items of the release before it have none (version 0).
     */
    static final String VERSION = "version";
    /** The token of a session lock's holder, a string; there only while a lock is held. */
    static final String LOCK_TOKEN = "lockToken";
    /** The end of a session lock's lease in epoch milliseconds, a number; there only while a lock is held. */
    static final String LOCK_UNTIL = "lockUntil";

    /** How long start-up waits for a new table to become ACTIVE: as Flask-Session, 100 polls 1 s apart. */
    private static final int ACTIVE_POLLS = 100;
    private static final Duration ACTIVE_POLL_DELAY = Duration.ofSeconds(1);

    private final DynamoDbClient client;
    private final String table;
    private final String location;

    /**
     * @param client   the client to use
     * @param table    the table name
     * @param location table, region and endpoint, for messages
     */
    DynamoDbSessionTable(DynamoDbClient client, String table, String location) {
        this.client = client;
        this.table = table;
        this.location = location;
    }

    /**
     * @param createWhenMissing {@code SESSION_DYNAMODB_CREATE_TABLE}
     * @throws SessionBackendException when the table is missing and may not be created, has the
     *                               wrong key, or DynamoDB cannot be reached
     */
    void prepare(boolean createWhenMissing) {
        TableDescription description = describe();
        if (description == null) {
            if (!createWhenMissing) {
                throw failure("find its table", location + " does not exist and "
                        + DynamoDbSettings.SESSION_DYNAMODB_CREATE_TABLE + " is false; create the table with partition"
                        + " key '" + ID + "' of type S (TTL on '" + EXPIRATION + "' recommended), or set "
                        + DynamoDbSettings.SESSION_DYNAMODB_CREATE_TABLE + "=true", null);
            }
            create();
            return;
        }
        checkKeySchema(description);
        if (description.tableStatus() == TableStatus.CREATING) {
            awaitActive();
        }
    }

    private TableDescription describe() {
        try {
            return client.describeTable(request -> request.tableName(table)).table();
        } catch (ResourceNotFoundException missing) {
            return null;
        } catch (SdkException e) {
            throw DynamoDbRequests.failure("describe its table", location, e);
        }
    }

    private void create() {
        try {
            client.createTable(request -> request.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName(ID).attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(ID).keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException createdByAnotherInstance) {
            // Another application instance starting at the same moment won the race; it enables TTL.
            awaitActive();
            return;
        } catch (SdkException e) {
            throw DynamoDbRequests.failure("create its table", location, e);
        }
        awaitActive();
        try {
            client.updateTimeToLive(request -> request.tableName(table)
                    .timeToLiveSpecification(ttl -> ttl.attributeName(EXPIRATION).enabled(true)));
        } catch (SdkException e) {
            throw DynamoDbRequests.failure("enable TTL on '" + EXPIRATION + "' of its new table", location, e);
        }
    }

    private void awaitActive() {
        WaiterOverrideConfiguration patience = WaiterOverrideConfiguration.builder()
                .maxAttempts(ACTIVE_POLLS)
                .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(ACTIVE_POLL_DELAY))
                .build();
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client).overrideConfiguration(patience).build()) {
            waiter.waitUntilTableExists(request -> request.tableName(table)).matched().exception().ifPresent(e -> {
                throw failure("wait for its table", location + " did not become ACTIVE: " + e.getMessage(), e);
            });
        } catch (SdkException e) {
            // Also what the waiter throws when its polls run out, so no hint about reachability here.
            throw failure("wait for its table", location + " did not become ACTIVE within "
                    + ACTIVE_POLLS * ACTIVE_POLL_DELAY.toSeconds() + " s: " + e.getMessage(), e);
        }
    }

    private void checkKeySchema(TableDescription description) {
        List<KeySchemaElement> key = description.keySchema();
        boolean idIsString = description.attributeDefinitions().stream()
                .anyMatch(a -> a.attributeName().equals(ID) && a.attributeType() == ScalarAttributeType.S);
        boolean idIsTheOnlyKey = key.size() == 1 && key.get(0).attributeName().equals(ID)
                && key.get(0).keyType() == KeyType.HASH;
        if (!idIsString || !idIsTheOnlyKey) {
            throw failure("check its table", location + " has the key " + describeKey(description)
                    + " but sessions need a partition key '" + ID + "' of type S and no sort key;"
                    + " point " + DynamoDbSettings.SESSION_DYNAMODB_TABLE + " at another table", null);
        }
    }

    private static String describeKey(TableDescription description) {
        StringBuilder text = new StringBuilder();
        for (KeySchemaElement element : description.keySchema()) {
            String type = description.attributeDefinitions().stream()
                    .filter(a -> a.attributeName().equals(element.attributeName()))
                    .map(a -> a.attributeTypeAsString()).findFirst().orElse("?");
            text.append(text.length() == 0 ? "" : ", ")
                    .append(element.keyTypeAsString()).append(' ').append(element.attributeName()).append(" (").append(type).append(')');
        }
        return text.toString();
    }

    private static SessionBackendException failure(String operation, String message, Throwable cause) {
        return new SessionBackendException(DynamoDbSessionBackendProvider.TYPE, operation, message, cause);
    }
}
