package io.sessionkit.dynamodb;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testsupport.LocalDynamoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the DynamoDB store adds to the contract: table creation and checks at start-up, the
 * item layout, conditional touches, the item size limit, and a client handed in from code.
 */
class DynamoDbSessionBackendTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private static DynamoDbClient inspector;

    private final MutableClock clock = new MutableClock(START);
    private String table;

    @BeforeAll
    static void connectInspector() {
        inspector = LocalDynamoDb.shared().newClient();
    }

    @AfterAll
    static void closeInspector() {
        inspector.close();
    }

    @BeforeEach
    void pickFreshTableName() {
        table = "Sessions_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private SessionConfig.Builder config() {
        SessionConfig.Builder config = SessionConfig.builder();
        LocalDynamoDb.shared().sessionEnvironment().forEach(config::set);
        return config
                .set(ConfigKeys.SESSION_TYPE, "dynamodb")
                .set("SESSION_DYNAMODB_TABLE", table)
                .clock(clock);
    }

    private static SessionBackend create(SessionConfig.Builder config) {
        return BackendRegistry.load().create(config.build());
    }

    private Map<String, AttributeValue> item(String key) {
        return inspector.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true)).item();
    }

    private int itemCount() {
        return inspector.scan(r -> r.tableName(table)).count();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void missingTableIsCreatedOnDemandWithIdKeyAndTtlOnExpiration() {
        create(config()).close();

        TableDescription description = inspector.describeTable(r -> r.tableName(table)).table();
        assertEquals(List.of(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()),
                description.keySchema());
        assertEquals(ScalarAttributeType.S, description.attributeDefinitions().get(0).attributeType());
        assertEquals(BillingMode.PAY_PER_REQUEST, description.billingModeSummary().billingMode());

        TimeToLiveDescription ttl = inspector.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        assertEquals("expiration", ttl.attributeName());
    }

    @Test
    void missingTableWithCreateTableFalseFailsNamingTableAndKeyAndCreatesNothing() {
        SessionBackendException error = assertThrows(SessionBackendException.class,
                () -> create(config().set("SESSION_DYNAMODB_CREATE_TABLE", "false")));
        String message = error.getMessage();
        assertEquals("dynamodb", error.backendType());
        assertTrue(message.contains("table '" + table + "' in " + LocalDynamoDb.REGION + " at " + LocalDynamoDb.shared().endpoint()
                + " does not exist and SESSION_DYNAMODB_CREATE_TABLE is false"), message);
        assertTrue(message.contains("partition key 'id' of type S"), message);
        assertThrows(ResourceNotFoundException.class, () -> inspector.describeTable(r -> r.tableName(table)));
    }

    @Test
    void existingTableIsUsedWhenCreateTableIsFalse() {
        create(config()).close();
        try (SessionBackend backend = create(config().set("SESSION_DYNAMODB_CREATE_TABLE", "false"))) {
            backend.save("session:k", bytes("v"), HOUR);
            assertArrayEquals(bytes("v"), backend.load("session:k"));
        }
    }

    @Test
    void existingTableWithAnotherKeyIsRejectedAtStartUp() {
        inspector.createTable(r -> r.tableName(table)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> create(config()));
        assertTrue(error.getMessage().contains("has the key HASH pk (S), RANGE sk (N) but sessions need a partition key 'id'"
                + " of type S and no sort key"), error.getMessage());
    }

    @Test
    void savedItemHasIdStringPayloadBinaryAndExpirationInEpochSeconds() {
        try (SessionBackend backend = create(config())) {
            backend.save("session:abc", bytes("{\"n\":1}"), HOUR);
            Map<String, AttributeValue> item = item("session:abc");
            assertEquals("session:abc", item.get("id").s());
            assertArrayEquals(bytes("{\"n\":1}"), item.get("val").b().asByteArray());
            assertEquals(Long.toString(START.plus(HOUR).getEpochSecond()), item.get("expiration").n());
            assertEquals(3, item.size(), "unexpected attributes: " + item.keySet());
        }
    }

    @Test
    void expirationIsRoundedUpToWholeSecondsSoAnEntryNeverLivesShorter() {
        try (SessionBackend backend = create(config())) {
            backend.save("session:r", bytes("x"), Duration.ofMillis(1500));
            assertEquals(Long.toString(START.getEpochSecond() + 2), item("session:r").get("expiration").n());
        }
    }

    @Test
    void touchSetsOnlyExpirationOfALiveItem() {
        try (SessionBackend backend = create(config())) {
            backend.save("session:t", bytes("payload"), HOUR);
            clock.advance(Duration.ofMinutes(10));
            backend.touch("session:t", HOUR);
            Map<String, AttributeValue> item = item("session:t");
            assertEquals(Long.toString(START.plus(Duration.ofMinutes(70)).getEpochSecond()), item.get("expiration").n());
            assertArrayEquals(bytes("payload"), item.get("val").b().asByteArray());
        }
    }

    @Test
    void touchAndLoadAndTouchOfUnknownKeyCreateNoHuskItem() {
        try (SessionBackend backend = create(config())) {
            backend.touch("session:none", HOUR);
            assertNull(((DynamoDbSessionBackend) backend).loadAndTouch("session:none", HOUR));
            assertEquals(0, itemCount());
        }
    }

    @Test
    void expiredItemNotYetDeletedByTtlIsNeitherReturnedNorRevived() {
        try (SessionBackend backend = create(config())) {
            backend.save("session:old", bytes("stale"), HOUR);
            clock.advance(HOUR);

            assertNull(backend.load("session:old"));
            backend.touch("session:old", HOUR);
            assertNull(((DynamoDbSessionBackend) backend).loadAndTouch("session:old", HOUR));
            assertEquals(Long.toString(START.plus(HOUR).getEpochSecond()), item("session:old").get("expiration").n(),
                    "an expired session was revived");
        }
    }

    @Test
    void sessionOverTheItemLimitIsRefusedBeforeSendingAndTheStoredOneIsKept() {
        try (SessionBackend backend = create(config())) {
            backend.save("session:big", bytes("small"), HOUR);
            byte[] tooLarge = new byte[DynamoDbSessionBackend.MAX_ITEM_BYTES];
            SessionTooLargeException error = assertThrows(SessionTooLargeException.class,
                    () -> backend.save("session:big", tooLarge, HOUR));
            assertEquals(DynamoDbSessionBackend.MAX_ITEM_BYTES, error.limit());
            assertTrue(error.getMessage().contains("DynamoDB item"), error.getMessage());
            assertArrayEquals(bytes("small"), backend.load("session:big"));
        }
    }

    @Test
    void largestAcceptedSessionIsStoredByDynamoDb() {
        try (SessionBackend backend = create(config())) {
            String key = "session:" + "k".repeat(43);
            byte[] largest = new byte[DynamoDbSessionBackend.MAX_ITEM_BYTES - 200];
            ThreadLocalRandom.current().nextBytes(largest);
            backend.save(key, largest, HOUR);
            assertArrayEquals(largest, backend.load(key));
        }
    }

    @Test
    void handedInClientIsUsedWithTheTableKeysAndNotClosed() {
        try (DynamoDbClient client = LocalDynamoDb.shared().newClient()) {
            SessionBackend backend = create(SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "dynamodb")
                    .set("SESSION_DYNAMODB_TABLE", table)
                    .clock(clock)
                    .client(client));
            backend.save("session:c", bytes("via client"), HOUR);
            backend.close();

            assertArrayEquals(bytes("via client"), item("session:c").get("val").b().asByteArray());
            assertEquals(table, client.describeTable(r -> r.tableName(table)).table().tableName(),
                    "the handed-in client was closed with the backend");
        }
    }

    @Test
    void handedInClientWithAnEndpointSetAsWellIsRefusedBeforeTheTableIsCreated() {
        try (DynamoDbClient client = LocalDynamoDb.shared().newClient()) {
            SessionConfigException error = assertThrows(SessionConfigException.class, () -> create(config()
                    .set("SESSION_DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:1")
                    .client(client)));
            assertTrue(error.getMessage().contains("SESSION_DYNAMODB_ENDPOINT_URL is set but a "), error.getMessage());
            assertThrows(ResourceNotFoundException.class, () -> client.describeTable(r -> r.tableName(table)),
                    "the table was created although the configuration was refused");
        }
    }

    @Test
    void handsOutTouchingLoadButNoCleanupSinceTtlDeletesExpiredItems() {
        try (SessionBackend backend = create(config())) {
            assertSame(backend, backend.capability(TouchingLoad.class).orElseThrow());
            assertEquals(Optional.empty(), backend.capability(ExpiredSessionCleanup.class));
        }
    }

    @Test
    void deletedTableIsReportedAsStoreErrorNamingIt() {
        try (SessionBackend backend = create(config())) {
            inspector.deleteTable(r -> r.tableName(table));
            SessionBackendException error = assertThrows(SessionBackendException.class, () -> backend.load("session:x"));
            assertEquals("load", error.operation());
            assertTrue(error.getMessage().contains("table '" + table + "'"), error.getMessage());
        }
    }

    @Test
    void operationsAfterCloseFailAsStoreErrors() {
        SessionBackend backend = create(config());
        backend.close();
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> backend.save("session:x", bytes("x"), HOUR));
        assertEquals("dynamodb", error.backendType());
        assertEquals("save", error.operation());
    }
}
