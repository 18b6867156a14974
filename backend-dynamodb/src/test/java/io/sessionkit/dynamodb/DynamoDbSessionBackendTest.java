package io.sessionkit.dynamodb;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testsupport.Race;
import io.sessionkit.testsupport.LocalDynamoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
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
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

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
    void savedItemHasIdStringPayloadBinaryExpirationInEpochSecondsAndAVersion() {
        try (SessionBackend backend = create(config())) {
            backend.save("session:abc", bytes("{\"n\":1}"), HOUR);
            Map<String, AttributeValue> item = item("session:abc");
            assertEquals("session:abc", item.get("id").s());
            assertArrayEquals(bytes("{\"n\":1}"), item.get("val").b().asByteArray());
            assertEquals(Long.toString(START.plus(HOUR).getEpochSecond()), item.get("expiration").n());
            assertEquals("1", item.get("version").n(), "the first write is version 1");
            assertEquals(4, item.size(), "unexpected attributes: " + item.keySet());
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
            byte[] tooLarge = new byte[DynamoDbRequests.MAX_ITEM_BYTES];
            SessionTooLargeException error = assertThrows(SessionTooLargeException.class,
                    () -> backend.save("session:big", tooLarge, HOUR));
            assertEquals(DynamoDbRequests.MAX_ITEM_BYTES, error.limit());
            assertTrue(error.getMessage().contains("DynamoDB item"), error.getMessage());
            assertArrayEquals(bytes("small"), backend.load("session:big"));
        }
    }

    @Test
    void largestAcceptedSessionIsStoredByDynamoDbAndCanStillBeLocked() {
        try (SessionBackend backend = create(config())) {
            String key = "session:" + "k".repeat(43);
            byte[] largest = new byte[DynamoDbRequests.MAX_ITEM_BYTES - key.length() - DynamoDbRequests.ITEM_OVERHEAD_BYTES];
            ThreadLocalRandom.current().nextBytes(largest);
            backend.save(key, largest, HOUR);
            assertArrayEquals(largest, backend.load(key));
            assertThrows(SessionTooLargeException.class, () -> backend.save(key, new byte[largest.length + 1], HOUR));
            SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
            assertTrue(locks.tryLock(key, "t".repeat(64), HOUR));
            backend.save(key, largest, HOUR);
            assertEquals(2, backend.capability(ConditionalWrites.class).orElseThrow().loadVersioned(key).version());
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
    void handsOutTouchingLoadConditionalWritesLocksPrincipalsAndListingButNoCleanupSinceTtlDeletesExpiredItems() {
        try (SessionBackend backend = create(config())) {
            assertSame(backend, backend.capability(TouchingLoad.class).orElseThrow());
            assertInstanceOf(DynamoDbConditionalWrites.class, backend.capability(ConditionalWrites.class).orElseThrow());
            assertInstanceOf(DynamoDbSessionLocks.class, backend.capability(SessionLocks.class).orElseThrow());
            assertInstanceOf(DynamoDbPrincipalIndex.class, backend.capability(io.sessionkit.spi.PrincipalIndex.class).orElseThrow());
            assertInstanceOf(DynamoDbSessionListing.class, backend.capability(io.sessionkit.spi.SessionListing.class).orElseThrow());
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

    /** A backend on this test's table, and its capabilities. */
    abstract class WithBackend {
        SessionBackend backend;
        ConditionalWrites writes;
        SessionLocks locks;

        @BeforeEach
        void createBackend() {
            backend = create(config());
            writes = backend.capability(ConditionalWrites.class).orElseThrow();
            locks = backend.capability(SessionLocks.class).orElseThrow();
        }

        @AfterEach
        void closeBackend() {
            backend.close();
        }

        /** An item as the release before versions wrote it. */
        void storeItemOfThePreviousRelease(String key, String payload) {
            inspector.putItem(r -> r.tableName(table).item(Map.of(
                    "id", AttributeValue.fromS(key),
                    "val", AttributeValue.fromB(SdkBytes.fromByteArray(bytes(payload))),
                    "expiration", AttributeValue.fromN(Long.toString(START.plus(HOUR).getEpochSecond())))));
        }
    }

    @Nested
    class Versions extends WithBackend {

        @Test
        void everyWriteAddsOneToTheVersionInTheSameRequestAndTouchesLeaveIt() {
            backend.save("session:v", bytes("1"), HOUR);
            assertEquals("1", item("session:v").get("version").n());
            backend.touch("session:v", HOUR);
            ((DynamoDbSessionBackend) backend).loadAndTouch("session:v", HOUR);
            assertEquals(1, writes.loadVersionedAndTouch("session:v", HOUR).version());
            assertEquals("1", item("session:v").get("version").n(), "touches are not writes");
            assertTrue(writes.replace("session:v", 1, bytes("2"), HOUR));
            backend.save("session:v", bytes("3"), HOUR);
            assertEquals("3", item("session:v").get("version").n());
            assertEquals(3, writes.loadVersioned("session:v").version());
        }

        @Test
        void anItemOfThePreviousReleaseIsVersionZeroAndIsReplacedOnceOnly() {
            storeItemOfThePreviousRelease("session:old", "old");
            assertEquals(0, writes.loadVersioned("session:old").version());
            assertArrayEquals(bytes("old"), writes.loadVersionedAndTouch("session:old", HOUR).value());
            assertFalse(writes.replace("session:old", 1, bytes("wrong version"), HOUR));

            assertTrue(writes.replace("session:old", 0, bytes("new"), HOUR));
            assertEquals("1", item("session:old").get("version").n());
            assertFalse(writes.replace("session:old", 0, bytes("stale"), HOUR), "version 0 was read before the write");
            assertArrayEquals(bytes("new"), backend.load("session:old"));
        }

        @Test
        void anItemOfThePreviousReleaseCanBeDeletedAtVersionZeroAndBlindlySavedToVersionOne() {
            storeItemOfThePreviousRelease("session:gone", "old");
            assertTrue(writes.delete("session:gone", 0));
            assertTrue(item("session:gone").isEmpty());

            storeItemOfThePreviousRelease("session:saved", "old");
            backend.save("session:saved", bytes("new"), HOUR);
            assertEquals(1, writes.loadVersioned("session:saved").version());
            assertFalse(writes.delete("session:saved", 0));
        }

        @Test
        void anExpiredItemOfThePreviousReleaseIsNeitherReplacedNorDeleted() {
            storeItemOfThePreviousRelease("session:expired", "old");
            clock.advance(HOUR);
            assertNull(writes.loadVersioned("session:expired"));
            assertFalse(writes.replace("session:expired", 0, bytes("revived"), HOUR));
            assertFalse(writes.delete("session:expired", 0));
            assertTrue(writes.create("session:expired", bytes("new"), HOUR));
            assertEquals(1, writes.loadVersioned("session:expired").version());
        }

        @Test
        void createOverAnExpiredItemGivesAVersionNeverHandedOutBefore() {
            assertTrue(writes.create("session:c", bytes("first life"), HOUR));
            assertTrue(writes.replace("session:c", 1, bytes("first life, changed"), HOUR));
            clock.advance(HOUR.plusSeconds(1));

            assertTrue(writes.create("session:c", bytes("second life"), HOUR));
            assertEquals(3, writes.loadVersioned("session:c").version());
            for (long read = 0; read < 3; read++) {
                assertFalse(writes.replace("session:c", read, bytes("from the first life"), HOUR), "version " + read);
            }
            assertArrayEquals(bytes("second life"), backend.load("session:c"));
        }

        @Test
        void threadsRacingToCreateOneKeyHaveExactlyOneWinnerWhetherItIsFreeOrExpired() throws Exception {
            for (int round = 0; round < 6; round++) {
                String key = "session:race-" + round;
                if (round % 2 == 1) {
                    backend.save(key, bytes("expires"), Duration.ofSeconds(1));
                    clock.advance(Duration.ofSeconds(1));
                }
                int winners = Race.winners(8, thread -> () -> writes.create(key, bytes("thread " + thread), HOUR));
                assertEquals(1, winners, "round " + round);
            }
        }

        @Test
        void aCreateOrReplaceThatTheSdkResendsAfterItsAnswerWasLostCountsAsWritten() {
            AtomicBoolean loseNextAnswer = new AtomicBoolean();
            ExecutionInterceptor losesAnAnswer = new ExecutionInterceptor() {
                @Override
                public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                    if (context.request() instanceof UpdateItemRequest && loseNextAnswer.getAndSet(false)) {
                        throw RetryableException.create("the answer was lost on its way back (test)");
                    }
                }
            };
            try (DynamoDbClient client = InterceptedClient.of(losesAnAnswer);
                 SessionBackend resending = create(SessionConfig.builder()
                         .set(ConfigKeys.SESSION_TYPE, "dynamodb")
                         .set("SESSION_DYNAMODB_TABLE", table)
                         .clock(clock)
                         .client(client))) {
                ConditionalWrites resendingWrites = resending.capability(ConditionalWrites.class).orElseThrow();
                loseNextAnswer.set(true);
                assertTrue(resendingWrites.create("session:resent", bytes("created"), HOUR));
                assertFalse(loseNextAnswer.get(), "the answer was not lost: nothing was resent");
                assertEquals(1, writes.loadVersioned("session:resent").version(), "written once");

                loseNextAnswer.set(true);
                assertTrue(resendingWrites.replace("session:resent", 1, bytes("replaced"), HOUR));
                assertFalse(loseNextAnswer.get(), "the answer was not lost: nothing was resent");
                assertEquals(2, writes.loadVersioned("session:resent").version(), "written once");

                assertFalse(resendingWrites.replace("session:resent", 1, bytes("another change"), HOUR),
                        "other bytes on the version after the expected one are another writer's");
                assertFalse(resendingWrites.create("session:resent", bytes("another session"), HOUR));
            }
        }
    }

    @Nested
    class Locks extends WithBackend {

        @Test
        void aLockIsTwoAttributesOfTheSessionItemThatLeaveTheVersionAloneAndUnlockRemovesThem() {
            backend.save("session:l", bytes("data"), HOUR);
            assertTrue(locks.tryLock("session:l", "token-a", Duration.ofSeconds(30)));
            Map<String, AttributeValue> locked = item("session:l");
            assertEquals("token-a", locked.get("lockToken").s());
            assertEquals(Long.toString(START.plusSeconds(30).toEpochMilli()), locked.get("lockUntil").n());
            assertEquals("1", locked.get("version").n(), "a lock is not a write of the session");

            locks.unlock("session:l", "token-a");
            Map<String, AttributeValue> unlocked = item("session:l");
            assertFalse(unlocked.containsKey("lockToken") || unlocked.containsKey("lockUntil"), unlocked.toString());
            assertArrayEquals(bytes("data"), backend.load("session:l"));
        }

        @Test
        void writesAndTouchesOfTheSessionKeepItsLock() {
            backend.save("session:w", bytes("1"), HOUR);
            assertTrue(locks.tryLock("session:w", "holder", HOUR));
            backend.save("session:w", bytes("2"), HOUR);
            backend.touch("session:w", HOUR);
            long version = writes.loadVersionedAndTouch("session:w", HOUR).version();
            assertTrue(writes.replace("session:w", version, bytes("3"), HOUR));
            assertFalse(locks.tryLock("session:w", "other", HOUR), "a write released the lock");
            assertEquals("holder", item("session:w").get("lockToken").s());
        }

        @Test
        void theHolderAskingAgainKeepsItsLockSoAResentRequestIsHarmless() {
            backend.save("session:again", bytes("x"), HOUR);
            assertTrue(locks.tryLock("session:again", "holder", Duration.ofSeconds(10)));
            clock.advance(Duration.ofSeconds(5));
            assertTrue(locks.tryLock("session:again", "holder", Duration.ofSeconds(10)));
            assertEquals(Long.toString(START.plusSeconds(15).toEpochMilli()), item("session:again").get("lockUntil").n());
            assertFalse(locks.tryLock("session:again", "other", HOUR));
        }

        @Test
        void aLockOnAKeyWithoutItemIsGrantedAndExclusiveAndItsItemIsNoSession() {
            assertTrue(locks.tryLock("session:none", "holder", HOUR));
            assertFalse(locks.tryLock("session:none", "other", HOUR));
            Map<String, AttributeValue> lockOnly = item("session:none");
            assertEquals(Long.toString(START.getEpochSecond()), lockOnly.get("expiration").n(),
                    "expired at once, for every data operation and for TTL: " + lockOnly);
            assertFalse(lockOnly.containsKey("val") || lockOnly.containsKey("version"), lockOnly.toString());

            assertNull(backend.load("session:none"));
            assertNull(writes.loadVersioned("session:none"));
            assertNull(writes.loadVersionedAndTouch("session:none", HOUR));
            assertFalse(writes.replace("session:none", 0, bytes("x"), HOUR));
            assertFalse(writes.delete("session:none", 0));
            assertTrue(writes.create("session:none", bytes("created"), HOUR));
            assertFalse(locks.tryLock("session:none", "other", HOUR), "the create kept the lock");
            locks.unlock("session:none", "holder");
            assertTrue(locks.tryLock("session:none", "other", HOUR));
        }

        @Test
        void threadsRacingForTheLockOfAKeyWithoutItemHaveExactlyOneWinner() throws Exception {
            for (int round = 0; round < 5; round++) {
                String key = "session:free-" + round;
                assertEquals(1, Race.winners(8, thread -> () -> locks.tryLock(key, "holder-" + thread, HOUR)), "round " + round);
            }
        }

        @Test
        void deletingTheSessionReleasesItsLock() {
            backend.save("session:d", bytes("x"), HOUR);
            assertTrue(locks.tryLock("session:d", "holder", HOUR));
            assertTrue(writes.delete("session:d", 1));
            assertTrue(locks.tryLock("session:d", "next", HOUR));
            locks.unlock("session:d", "holder");
            assertFalse(locks.tryLock("session:d", "third", HOUR));
        }
    }
}
