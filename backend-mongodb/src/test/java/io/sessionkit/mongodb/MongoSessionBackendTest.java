package io.sessionkit.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testsupport.Race;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the MongoDB store adds to the contract: the document layout, the TTL index, expiry
 * enforced on read, and a client handed in from code.
 */
class MongoSessionBackendTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private static MongoClient inspector;

    private final MutableClock clock = new MutableClock(START);
    private String collectionName;
    private SessionBackend backend;

    @BeforeAll
    static void connectInspector() {
        inspector = MongoClients.create(MongoTestServer.connectionString());
    }

    @AfterAll
    static void closeInspector() {
        inspector.close();
    }

    @BeforeEach
    void createBackend() {
        collectionName = "sessions_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        backend = BackendRegistry.load().create(config().build());
    }

    @AfterEach
    void dropCollection() {
        if (backend != null) {
            backend.close();
        }
        collection().drop();
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "mongodb")
                .set("SESSION_MONGODB", MongoTestServer.connectionString())
                .set("SESSION_MONGODB_DB", MongoTestServer.DATABASE)
                .set("SESSION_MONGODB_COLLECT", collectionName)
                .clock(clock);
    }

    private MongoCollection<Document> collection() {
        return inspector.getDatabase(MongoTestServer.DATABASE).getCollection(collectionName);
    }

    private Document stored(String key) {
        return collection().find(Filters.eq("_id", key)).first();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void startUpCreatesTtlIndexOnExpirationWithZeroSeconds() {
        List<Document> indexes = collection().listIndexes().into(new ArrayList<>());
        Document ttl = indexes.stream()
                .filter(index -> index.get("key", Document.class).equals(new Document("expiration", 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no index on {expiration: 1} among " + indexes));
        assertEquals(0L, ((Number) ttl.get("expireAfterSeconds")).longValue(), "TTL index options: " + ttl.toJson());
    }

    @Test
    void creatingTheBackendAgainKeepsTheOneTtlIndex() {
        try (SessionBackend second = BackendRegistry.load().create(config().build())) {
            second.save("session:second", bytes("x"), HOUR);
            assertArrayEquals(bytes("x"), backend.load("session:second"));
            long ttlIndexes = collection().listIndexes().into(new ArrayList<>()).stream()
                    .filter(index -> index.get("key", Document.class).containsKey("expiration"))
                    .count();
            assertEquals(1, ttlIndexes);
        }
    }

    @Test
    void savedDocumentHasKeyAsIdPayloadAsBinaryExpirationAsDateAndAVersion() {
        backend.save("session:abc", bytes("{\"n\":1}"), HOUR);

        BsonDocument document = inspector.getDatabase(MongoTestServer.DATABASE)
                .getCollection(collectionName, BsonDocument.class).find(Filters.eq("_id", "session:abc")).first();
        assertNotNull(document);
        assertEquals("session:abc", document.getString("_id").getValue());
        assertArrayEquals(bytes("{\"n\":1}"), document.getBinary("val").getData());
        assertEquals(START.plus(HOUR).toEpochMilli(), document.getDateTime("expiration").getValue());
        assertEquals(new BsonInt64(1), document.get("version"), "the first write is version 1, a NumberLong");
        assertEquals(4, document.size(), "unexpected fields: " + document.toJson());
    }

    @Test
    void touchMovesExpirationAndLeavesPayloadAlone() {
        backend.save("session:t", bytes("payload"), HOUR);
        clock.advance(Duration.ofMinutes(10));
        backend.touch("session:t", HOUR);

        Document document = stored("session:t");
        assertEquals(Date.from(START.plus(Duration.ofMinutes(70))), document.getDate("expiration"));
        assertArrayEquals(bytes("payload"), document.get("val", org.bson.types.Binary.class).getData());
    }

    @Test
    void expiredDocumentNotYetRemovedByServerIsNotReturnedNorRevivedByTouch() {
        backend.save("session:old", bytes("stale"), HOUR);
        clock.advance(HOUR.plusSeconds(1));

        backend.touch("session:old", HOUR);
        assertNull(backend.load("session:old"));
        assertNull(((MongoSessionBackend) backend).loadAndTouch("session:old", HOUR));
        Document document = stored("session:old");
        assertNotNull(document, "the server's TTL monitor is not expected to have run yet");
        assertEquals(Date.from(START.plus(HOUR)), document.getDate("expiration"), "an expired session was revived");
    }

    @Test
    void touchOfUnknownKeyCreatesNoDocument() {
        backend.touch("session:none", HOUR);
        ((MongoSessionBackend) backend).loadAndTouch("session:none", HOUR);
        assertEquals(0, collection().countDocuments());
    }

    @Test
    void handedInClientIsUsedWithTheDatabaseAndCollectionKeysAndNotClosed() {
        try (MongoClient client = MongoClients.create(MongoTestServer.connectionString())) {
            SessionConfig config = SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "mongodb")
                    .set("SESSION_MONGODB_DB", MongoTestServer.DATABASE)
                    .set("SESSION_MONGODB_COLLECT", collectionName)
                    .clock(clock)
                    .client(client)
                    .build();
            SessionBackend viaClient = BackendRegistry.load().create(config);
            viaClient.save("session:c", bytes("via client"), HOUR);
            viaClient.close();

            assertArrayEquals(bytes("via client"), backend.load("session:c"));
            assertNotNull(client.getDatabase(MongoTestServer.DATABASE).getCollection(collectionName).find().first(),
                    "the handed-in client was closed with the backend");
        }
    }

    @Test
    void handedInClientWithTheConnectionStringSetAsWellIsRefusedBeforeAnythingIsCreated() {
        try (MongoClient client = MongoClients.create(MongoTestServer.connectionString())) {
            String otherCollection = collectionName + "_refused";
            SessionConfig config = config()
                    .set("SESSION_MONGODB_COLLECT", otherCollection)
                    .client(client)
                    .build();
            SessionConfigException error = assertThrows(SessionConfigException.class,
                    () -> BackendRegistry.load().create(config));
            assertTrue(error.getMessage().contains("SESSION_MONGODB is set but a "), error.getMessage());
            assertFalse(inspector.getDatabase(MongoTestServer.DATABASE).listCollectionNames().into(new ArrayList<>())
                    .contains(otherCollection), "the collection's index was created although the configuration was refused");
            assertEquals(0, client.getDatabase(MongoTestServer.DATABASE).getCollection(otherCollection).countDocuments(),
                    "the handed-in client no longer works");
        }
    }

    @Test
    void handsOutTouchingLoadConditionalWritesLocksPrincipalsAndListingButNoCleanupSinceTheServerDeletesExpiredDocuments() {
        assertSame(backend, backend.capability(TouchingLoad.class).orElseThrow());
        assertInstanceOf(MongoConditionalWrites.class, backend.capability(ConditionalWrites.class).orElseThrow());
        assertInstanceOf(MongoSessionLocks.class, backend.capability(SessionLocks.class).orElseThrow());
        assertInstanceOf(MongoPrincipalIndex.class, backend.capability(io.sessionkit.spi.PrincipalIndex.class).orElseThrow());
        assertInstanceOf(MongoSessionListing.class, backend.capability(io.sessionkit.spi.SessionListing.class).orElseThrow());
        assertEquals(Optional.empty(), backend.capability(ExpiredSessionCleanup.class));
    }

    @Test
    void operationsAfterCloseFailAsStoreErrors() {
        SessionBackend closed = BackendRegistry.load().create(config().build());
        closed.close();
        io.sessionkit.SessionBackendException error =
                assertThrows(io.sessionkit.SessionBackendException.class, () -> closed.load("session:x"));
        assertEquals("mongodb", error.backendType());
        assertEquals("load", error.operation());
    }

    private BsonDocument storedBson(String key) {
        return inspector.getDatabase(MongoTestServer.DATABASE).getCollection(collectionName, BsonDocument.class)
                .find(Filters.eq("_id", key)).first();
    }

    private ConditionalWrites writes() {
        return backend.capability(ConditionalWrites.class).orElseThrow();
    }

    private SessionLocks locks() {
        return backend.capability(SessionLocks.class).orElseThrow();
    }

    /** A document as the release before versions wrote it. */
    private void storeDocumentOfThePreviousRelease(String key, String payload) {
        collection().insertOne(new Document("_id", key)
                .append("val", new org.bson.types.Binary(bytes(payload)))
                .append("expiration", Date.from(START.plus(HOUR))));
    }

    @Nested
    class Versions {

        @Test
        void everyWriteIncrementsTheVersionInTheSameCommandAndTouchesLeaveIt() {
            backend.save("session:v", bytes("1"), HOUR);
            assertEquals(new BsonInt64(1), storedBson("session:v").get("version"));
            backend.touch("session:v", HOUR);
            ((MongoSessionBackend) backend).loadAndTouch("session:v", HOUR);
            assertEquals(1, writes().loadVersionedAndTouch("session:v", HOUR).version());
            assertEquals(new BsonInt64(1), storedBson("session:v").get("version"), "touches are not writes");
            assertTrue(writes().replace("session:v", 1, bytes("2"), HOUR));
            backend.save("session:v", bytes("3"), HOUR);
            assertEquals(new BsonInt64(3), storedBson("session:v").get("version"));
            assertEquals(3, writes().loadVersioned("session:v").version());
        }

        @Test
        void aDocumentOfThePreviousReleaseIsVersionZeroAndIsReplacedOnceOnly() {
            storeDocumentOfThePreviousRelease("session:old", "old");
            assertEquals(0, writes().loadVersioned("session:old").version());
            assertArrayEquals(bytes("old"), writes().loadVersionedAndTouch("session:old", HOUR).value());
            assertFalse(writes().replace("session:old", 1, bytes("wrong version"), HOUR));

            assertTrue(writes().replace("session:old", 0, bytes("new"), HOUR));
            assertEquals(new BsonInt64(1), storedBson("session:old").get("version"));
            assertFalse(writes().replace("session:old", 0, bytes("stale"), HOUR), "version 0 was read before the write");
            assertArrayEquals(bytes("new"), backend.load("session:old"));
        }

        @Test
        void aDocumentOfThePreviousReleaseCanBeDeletedAtVersionZeroAndBlindlySavedToVersionOne() {
            storeDocumentOfThePreviousRelease("session:gone", "old");
            assertTrue(writes().delete("session:gone", 0));
            assertNull(stored("session:gone"));

            storeDocumentOfThePreviousRelease("session:saved", "old");
            backend.save("session:saved", bytes("new"), HOUR);
            assertEquals(1, writes().loadVersioned("session:saved").version());
            assertFalse(writes().delete("session:saved", 0));
        }

        @Test
        void anExpiredDocumentOfThePreviousReleaseIsNeitherReplacedNorDeleted() {
            storeDocumentOfThePreviousRelease("session:expired", "old");
            clock.advance(HOUR);
            assertNull(writes().loadVersioned("session:expired"));
            assertFalse(writes().replace("session:expired", 0, bytes("revived"), HOUR));
            assertFalse(writes().delete("session:expired", 0));
            assertTrue(writes().create("session:expired", bytes("new"), HOUR));
            assertEquals(1, writes().loadVersioned("session:expired").version());
        }

        @Test
        void createOverAnExpiredDocumentGivesAVersionNeverHandedOutBefore() {
            assertTrue(writes().create("session:c", bytes("first life"), HOUR));
            assertTrue(writes().replace("session:c", 1, bytes("first life, changed"), HOUR));
            clock.advance(HOUR.plusSeconds(1));

            assertTrue(writes().create("session:c", bytes("second life"), HOUR));
            assertEquals(3, writes().loadVersioned("session:c").version());
            for (long read = 0; read < 3; read++) {
                assertFalse(writes().replace("session:c", read, bytes("from the first life"), HOUR), "version " + read);
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
                int winners = Race.winners(8, thread -> () -> writes().create(key, bytes("thread " + thread), HOUR));
                assertEquals(1, winners, "round " + round);
                assertEquals(1, collection().countDocuments(Filters.eq("_id", key)));
            }
        }
    }

    @Nested
    class Locks {

        @Test
        void aLockIsTwoFieldsOfTheSessionDocumentThatLeaveTheVersionAloneAndUnlockRemovesThem() {
            backend.save("session:l", bytes("data"), HOUR);
            assertTrue(locks().tryLock("session:l", "token-a", Duration.ofSeconds(30)));
            BsonDocument locked = storedBson("session:l");
            assertEquals("token-a", locked.getString("lockToken").getValue());
            assertEquals(START.plusSeconds(30).toEpochMilli(), locked.getDateTime("lockUntil").getValue());
            assertEquals(new BsonInt64(1), locked.get("version"), "a lock is not a write of the session");

            locks().unlock("session:l", "token-a");
            BsonDocument unlocked = storedBson("session:l");
            assertFalse(unlocked.containsKey("lockToken") || unlocked.containsKey("lockUntil"), unlocked.toJson());
            assertArrayEquals(bytes("data"), backend.load("session:l"));
        }

        @Test
        void writesAndTouchesOfTheSessionKeepItsLock() {
            backend.save("session:w", bytes("1"), HOUR);
            assertTrue(locks().tryLock("session:w", "holder", HOUR));
            backend.save("session:w", bytes("2"), HOUR);
            backend.touch("session:w", HOUR);
            long version = writes().loadVersionedAndTouch("session:w", HOUR).version();
            assertTrue(writes().replace("session:w", version, bytes("3"), HOUR));
            assertFalse(locks().tryLock("session:w", "other", HOUR), "a write released the lock");
            assertEquals("holder", storedBson("session:w").getString("lockToken").getValue());
        }

        @Test
        void theHolderAskingAgainKeepsItsLockSoAResentCommandIsHarmless() {
            backend.save("session:again", bytes("x"), HOUR);
            assertTrue(locks().tryLock("session:again", "holder", Duration.ofSeconds(10)));
            clock.advance(Duration.ofSeconds(5));
            assertTrue(locks().tryLock("session:again", "holder", Duration.ofSeconds(10)));
            assertEquals(START.plusSeconds(15).toEpochMilli(), storedBson("session:again").getDateTime("lockUntil").getValue());
            assertFalse(locks().tryLock("session:again", "other", HOUR));
        }

        @Test
        void aLockOnAKeyWithoutDocumentIsGrantedAndExclusiveAndItsDocumentIsNoSession() {
            assertTrue(locks().tryLock("session:none", "holder", HOUR));
            assertFalse(locks().tryLock("session:none", "other", HOUR));
            BsonDocument lockOnly = storedBson("session:none");
            assertEquals(START.toEpochMilli(), lockOnly.getDateTime("expiration").getValue(),
                    "expired at once, for every data operation and for the TTL monitor: " + lockOnly.toJson());
            assertFalse(lockOnly.containsKey("val") || lockOnly.containsKey("version"), lockOnly.toJson());

            assertNull(backend.load("session:none"));
            assertNull(writes().loadVersioned("session:none"));
            assertNull(writes().loadVersionedAndTouch("session:none", HOUR));
            assertFalse(writes().replace("session:none", 0, bytes("x"), HOUR));
            assertFalse(writes().delete("session:none", 0));
            assertTrue(writes().create("session:none", bytes("created"), HOUR));
            assertFalse(locks().tryLock("session:none", "other", HOUR), "the create kept the lock");
            locks().unlock("session:none", "holder");
            assertTrue(locks().tryLock("session:none", "other", HOUR));
        }

        @Test
        void threadsRacingForTheLockOfAKeyWithoutDocumentHaveExactlyOneWinner() throws Exception {
            for (int round = 0; round < 5; round++) {
                String key = "session:free-" + round;
                assertEquals(1, Race.winners(8, thread -> () -> locks().tryLock(key, "holder-" + thread, HOUR)), "round " + round);
            }
        }

        @Test
        void deletingTheSessionReleasesItsLock() {
            backend.save("session:d", bytes("x"), HOUR);
            assertTrue(locks().tryLock("session:d", "holder", HOUR));
            assertTrue(writes().delete("session:d", 1));
            assertTrue(locks().tryLock("session:d", "next", HOUR));
            locks().unlock("session:d", "holder");
            assertFalse(locks().tryLock("session:d", "third", HOUR));
        }
    }
}
