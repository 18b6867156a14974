package io.sessionkit.dynamodb;

import io.sessionkit.SessionBackendException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
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
 * schema, or creates it (on-demand billing, TTL on {@code expiration}, the global secondary index
 * {@value #PRINCIPAL_INDEX}) when it is missing and creation is allowed. A table of an earlier
 * release, without the index, gets it with an {@code UpdateTable} when creation is allowed (the
 * backend manages the table); otherwise it is used without it, unless {@code SESSION_PRINCIPAL_KEY}
 * needs it, which is then a start-up error that says how to add it. Run once at start-up.
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
    /** The user a session belongs to, a string; there only while it has one. */
    static final String PRINCIPAL = "principal";
    /**
     * The global secondary index on {@link #PRINCIPAL}: partition key {@code principal}, keys only
     * projected, so that only a change of principal (not every save or touch) writes to it.
     */
    static final String PRINCIPAL_INDEX = "principal-index";

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
     * @param createWhenMissing  {@code SESSION_DYNAMODB_CREATE_TABLE}: the backend manages the table
     * @param principalsRequired whether {@code SESSION_PRINCIPAL_KEY} is set, so that the principal
     *                           index must be there
     * @return whether the table has the principal index (it may still be filling in)
     * @throws SessionBackendException when the table is missing and may not be created, has the
     *                               wrong key, lacks a required principal index that may not be
     *                               added, or DynamoDB cannot be reached
     */
    boolean prepare(boolean createWhenMissing, boolean principalsRequired) {
        TableDescription description = describe();
        if (description == null) {
            if (!createWhenMissing) {
                throw failure("find its table", location + " does not exist and "
                        + DynamoDbSettings.SESSION_DYNAMODB_CREATE_TABLE + " is false; create the table with partition"
                        + " key '" + ID + "' of type S (TTL on '" + EXPIRATION + "' recommended), or set "
                        + DynamoDbSettings.SESSION_DYNAMODB_CREATE_TABLE + "=true", null);
            }
            create();
            // Described again: an instance of an earlier release may have won the creation race.
            description = describe();
        }
        if (description == null) {
            throw failure("find its table", location + " was created but cannot be described", null);
        }
        checkKeySchema(description);
        if (description.tableStatus() == TableStatus.CREATING) {
            awaitActive();
        }
        return preparePrincipalIndex(description, createWhenMissing, principalsRequired);
    }

    private boolean preparePrincipalIndex(TableDescription description, boolean manage, boolean required) {
        if (hasPrincipalIndex(description)) {
            return true;
        }
        if (manage) {
            addPrincipalIndex(description);
            return true;
        }
        if (required) {
            throw failure("check its table", location + " has no global secondary index '" + PRINCIPAL_INDEX
                    + "', which SESSION_PRINCIPAL_KEY needs, and " + DynamoDbSettings.SESSION_DYNAMODB_CREATE_TABLE
                    + " is false, so it is not added; add it (partition key '" + PRINCIPAL + "' of type S, projection"
                    + " KEYS_ONLY; the aws CLI command is in docs/backends/dynamodb.md), or set "
                    + DynamoDbSettings.SESSION_DYNAMODB_CREATE_TABLE + "=true, or unset SESSION_PRINCIPAL_KEY", null);
        }
        return false;
    }

    /**
     * @throws SessionBackendException when an index of that name has another key
     */
    private boolean hasPrincipalIndex(TableDescription description) {
        for (GlobalSecondaryIndexDescription index : description.globalSecondaryIndexes()) {
            if (index.indexName().equals(PRINCIPAL_INDEX)) {
                List<KeySchemaElement> key = index.keySchema();
                if (key.size() != 1 || !key.get(0).attributeName().equals(PRINCIPAL) || key.get(0).keyType() != KeyType.HASH) {
                    throw failure("check its table", location + " has a global secondary index '" + PRINCIPAL_INDEX
                            + "' with the key " + key + " but sessions need its partition key to be '" + PRINCIPAL
                            + "' and no sort key; delete that index and let the backend add its own", null);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the principal index to a table of an earlier release. DynamoDB fills it in from the
     * existing items in the background (the table stays usable); until it is done, queries of it
     * fail. Several instances starting at once may race: DynamoDB builds one index at a time, and
     * a loser that finds the index there after all carries on.
     */
    private void addPrincipalIndex(TableDescription description) {
        CreateGlobalSecondaryIndexAction.Builder index = CreateGlobalSecondaryIndexAction.builder()
                .indexName(PRINCIPAL_INDEX)
                .keySchema(principalKey())
                .projection(keysOnly());
        boolean provisioned = description.billingModeSummary() == null
                || description.billingModeSummary().billingMode() == BillingMode.PROVISIONED;
        if (provisioned && description.provisionedThroughput() != null) {
            // The table's own capacity: the index takes a write per login, logout or change of user.
            index.provisionedThroughput(ProvisionedThroughput.builder()
                    .readCapacityUnits(description.provisionedThroughput().readCapacityUnits())
                    .writeCapacityUnits(description.provisionedThroughput().writeCapacityUnits())
                    .build());
        }
        try {
            client.updateTable(request -> request.tableName(table)
                    .attributeDefinitions(principalDefinition())
                    .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(index.build()).build()));
        } catch (SdkException e) {
            TableDescription now = describe();
            if (now != null && hasPrincipalIndex(now)) {
                return;
            }
            throw DynamoDbRequests.failure("add the global secondary index '" + PRINCIPAL_INDEX + "' to its table",
                    location, e);
        }
    }

    private static KeySchemaElement principalKey() {
        return KeySchemaElement.builder().attributeName(PRINCIPAL).keyType(KeyType.HASH).build();
    }

    private static AttributeDefinition principalDefinition() {
        return AttributeDefinition.builder().attributeName(PRINCIPAL).attributeType(ScalarAttributeType.S).build();
    }

    private static Projection keysOnly() {
        return Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build();
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
                            .attributeName(ID).attributeType(ScalarAttributeType.S).build(), principalDefinition())
                    .keySchema(KeySchemaElement.builder().attributeName(ID).keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(PRINCIPAL_INDEX).keySchema(principalKey()).projection(keysOnly()).build())
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
