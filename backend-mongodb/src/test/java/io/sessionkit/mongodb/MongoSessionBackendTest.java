package io.sessionkit.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testkit.MutableClock;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
    void savedDocumentHasKeyAsIdPayloadAsBinaryAndExpirationAsDate() {
        backend.save("session:abc", bytes("{\"n\":1}"), HOUR);

        BsonDocument document = inspector.getDatabase(MongoTestServer.DATABASE)
                .getCollection(collectionName, BsonDocument.class).find(Filters.eq("_id", "session:abc")).first();
        assertNotNull(document);
        assertEquals("session:abc", document.getString("_id").getValue());
        assertArrayEquals(bytes("{\"n\":1}"), document.getBinary("val").getData());
        assertEquals(START.plus(HOUR).toEpochMilli(), document.getDateTime("expiration").getValue());
        assertEquals(3, document.size(), "unexpected fields: " + document.toJson());
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
    void handsOutTouchingLoadButNoCleanupSinceTheServerDeletesExpiredDocuments() {
        assertSame(backend, backend.capability(TouchingLoad.class).orElseThrow());
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
}
