package io.sessionkit.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.sessionkit.ConfigKeys;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testkit.MutableClock;
import org.bson.BsonDocument;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the MongoDB store adds to the contract's sections on a user's sessions and on listing:
 * the {@code principal} field and its index, which writes keep it, the {@code _id} range of a
 * prefix, the cursor, and the commands each operation sends (counted with a command listener).
 */
class MongoPrincipalsAndListingTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Map<String, AtomicLong> SENT = new ConcurrentHashMap<>();

    private static MongoClient client;

    private final MutableClock clock = new MutableClock(START);
    private String collectionName;
    private SessionBackend backend;

    @BeforeAll
    static void connect() {
        CommandListener counter = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                SENT.computeIfAbsent(event.getCommandName(), name -> new AtomicLong()).incrementAndGet();
            }
        };
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(MongoTestServer.connectionString()))
                .addCommandListener(counter)
                .build());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void createBackend() {
        collectionName = "principals_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        backend = newBackend();
    }

    @AfterEach
    void dropCollection() {
        backend.close();
        collection().drop();
    }

    private SessionBackend newBackend() {
        return BackendRegistry.load().create(SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "mongodb")
                .set("SESSION_MONGODB_DB", MongoTestServer.DATABASE)
                .set("SESSION_MONGODB_COLLECT", collectionName)
                .client(client)
                .clock(clock)
                .build());
    }

    private MongoCollection<Document> collection() {
        return client.getDatabase(MongoTestServer.DATABASE).getCollection(collectionName);
    }

    private BsonDocument stored(String key) {
        return client.getDatabase(MongoTestServer.DATABASE).getCollection(collectionName, BsonDocument.class)
                .find(Filters.eq("_id", key)).first();
    }

    private String principalOf(String key) {
        BsonDocument document = stored(key);
        assertNotNull(document, "no document " + key);
        return document.isString("principal") ? document.getString("principal").getValue() : null;
    }

    private PrincipalIndex index() {
        return backend.capability(PrincipalIndex.class).orElseThrow();
    }

    private SessionListing listing() {
        return backend.capability(SessionListing.class).orElseThrow();
    }

    private ConditionalWrites writes() {
        return backend.capability(ConditionalWrites.class).orElseThrow();
    }

    private Set<String> keysOf(String principal) {
        Set<String> keys = new HashSet<>();
        index().entriesOf(principal).forEach(entry -> keys.add(entry.key()));
        return keys;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The commands {@code action} sent, by name. */
    private static Map<String, Long> commandsOf(Runnable action) {
        SENT.clear();
        action.run();
        Map<String, Long> counts = new TreeMap<>();
        SENT.forEach((command, sent) -> counts.put(command, sent.get()));
        return counts;
    }

    @Nested
    class ThePrincipalField {

        @Test
        void startUpCreatesASparseIndexOnPrincipal() {
            List<Document> indexes = collection().listIndexes().into(new ArrayList<>());
            Document principal = indexes.stream()
                    .filter(index -> index.get("key", Document.class).equals(new Document("principal", 1)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no index on {principal: 1} among " + indexes));
            assertEquals(Boolean.TRUE, principal.get("sparse"), principal.toJson());
        }

        @Test
        void aCollectionOfTheReleaseBeforeGetsThePrincipalIndexAtStartUpAndItsSessionsKeepWorking() {
            collection().dropIndex(new Document("principal", 1));
            collection().insertOne(new Document("_id", "session:old")
                    .append("val", new org.bson.types.Binary(bytes("old")))
                    .append("expiration", Date.from(START.plus(HOUR))));
            try (SessionBackend upgraded = newBackend()) {
                assertTrue(collection().listIndexes().into(new ArrayList<>()).stream()
                        .anyMatch(index -> index.get("key", Document.class).equals(new Document("principal", 1))));
                upgraded.capability(PrincipalIndex.class).orElseThrow().assign("session:old", null, "alice", HOUR);
                assertEquals(Set.of("session:old"), keysOf("alice"));
                assertArrayEquals(bytes("old"), upgraded.load("session:old"));
            }
        }

        @Test
        void assignSetsTheFieldAndNoneRemovesItInOneUpdate() {
            backend.save("session:a", bytes("x"), HOUR);
            assertEquals(Map.of("update", 1L), commandsOf(() -> index().assign("session:a", null, "alice", HOUR)));
            assertEquals("alice", principalOf("session:a"));
            index().assign("session:a", "alice", null, HOUR);
            assertFalse(stored("session:a").containsKey("principal"), stored("session:a").toJson());
            assertArrayEquals(bytes("x"), backend.load("session:a"));
        }

        @Test
        void everyWriteButACreateKeepsThePrincipal() {
            backend.save("session:k", bytes("1"), HOUR);
            index().assign("session:k", null, "alice", HOUR);
            backend.save("session:k", bytes("2"), HOUR);
            backend.touch("session:k", HOUR);
            ((TouchingLoad) backend).loadAndTouch("session:k", HOUR);
            long version = writes().loadVersionedAndTouch("session:k", HOUR).version();
            assertTrue(writes().replace("session:k", version, bytes("3"), HOUR));
            SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
            assertTrue(locks.tryLock("session:k", "token", HOUR));
            locks.unlock("session:k", "token");
            assertEquals("alice", principalOf("session:k"));
            assertEquals(Set.of("session:k"), keysOf("alice"));
        }

        @Test
        void aCreateOverAnExpiredDocumentDoesNotInheritTheDeadSessionsPrincipal() {
            backend.save("session:reused", bytes("first life"), HOUR);
            index().assign("session:reused", null, "alice", HOUR);
            clock.advance(HOUR);
            assertNotNull(stored("session:reused"), "the TTL monitor is not expected to have run");

            assertTrue(writes().create("session:reused", bytes("second life"), HOUR));
            assertNull(principalOf("session:reused"));
            assertEquals(Set.of(), keysOf("alice"));
        }

        @Test
        void assignLeavesAnExpiredDocumentAloneAndCreatesNone() {
            backend.save("session:expired", bytes("x"), HOUR);
            clock.advance(HOUR);
            index().assign("session:expired", null, "alice", HOUR);
            index().assign("session:none", null, "alice", HOUR);
            assertNull(principalOf("session:expired"));
            assertNull(stored("session:none"));
            assertEquals(Set.of(), keysOf("alice"));
        }

        @Test
        void entriesOfIsOneFindAndLeavesOutExpiredDocumentsTheServerStillHolds() {
            backend.save("session:short", bytes("short"), Duration.ofMinutes(1));
            backend.save("session:long", bytes("long"), HOUR);
            index().assign("session:short", null, "alice", Duration.ofMinutes(1));
            index().assign("session:long", null, "alice", HOUR);
            clock.advance(Duration.ofMinutes(1));

            List<ListedEntry> entries = new ArrayList<>();
            assertEquals(Map.of("find", 1L), commandsOf(() -> entries.addAll(index().entriesOf("alice"))));
            assertEquals(1, entries.size());
            assertEquals("session:long", entries.get(0).key());
            assertArrayEquals(bytes("long"), entries.get(0).value());
            assertEquals(START.plus(HOUR), entries.get(0).expiresAt());
        }
    }

    @Nested
    class Listing {

        private void save(String... keys) {
            for (String key : keys) {
                backend.save(key, bytes("value of " + key), HOUR);
            }
        }

        private Set<String> walk(String prefix, int limit) {
            Set<String> keys = new HashSet<>();
            String cursor = null;
            do {
                ListedPage page = listing().list(prefix, cursor, limit);
                page.entries().forEach(entry -> assertTrue(keys.add(entry.key()), "listed twice: " + entry.key()));
                cursor = page.nextCursor();
            } while (cursor != null);
            return keys;
        }

        @Test
        void aPrefixCountsAndListsItsOwnKeysOnlyNotThoseOfAPrefixThatMerelyStartsLikeIt() {
            // ';' follows ':' in every ordering: "app;" is the first key beyond the range of "app:".
            save("app:", "app:a", "app:zz", "app:\uFFFFx", "app;", "app", "ap:", "app2:a", "apq:", "APP:a");
            assertEquals(4, listing().count("app:"));
            assertEquals(Set.of("app:", "app:a", "app:zz", "app:\uFFFFx"), walk("app:", 2));
            assertEquals(Set.of("app2:a"), walk("app2:", 10));
            assertEquals(1, listing().count("app:z"));
            assertEquals(10, listing().count(""));
            assertEquals(10, walk("", 3).size());
        }

        @Test
        void documentsWithAnotherKindOfIdOrNoPayloadAreNotSessions() {
            save("session:a");
            collection().insertOne(new Document("_id", 42).append("val", new org.bson.types.Binary(bytes("x")))
                    .append("expiration", Date.from(START.plus(HOUR))));
            collection().insertOne(new Document("_id", "session:foreign").append("expiration", Date.from(START.plus(HOUR))));
            assertEquals(1, listing().count(""));
            assertEquals(Set.of("session:a"), walk("", 10));
            assertEquals(1, listing().count("session:"));
        }

        @Test
        void aPageIsOneFindAndTheLastPageSaysItIsTheLastWithoutAnotherRoundTrip() {
            save("session:a", "session:b", "session:c", "session:d");
            assertEquals(Map.of("aggregate", 1L), commandsOf(() -> assertEquals(4, listing().count("session:"))));
            ListedPage[] pages = new ListedPage[2];
            assertEquals(Map.of("find", 1L), commandsOf(() -> pages[0] = listing().list("session:", null, 2)));
            assertEquals(List.of("session:a", "session:b"), pages[0].entries().stream().map(ListedEntry::key).toList());
            assertNotNull(pages[0].nextCursor());
            pages[1] = listing().list("session:", pages[0].nextCursor(), 2);
            assertEquals(List.of("session:c", "session:d"), pages[1].entries().stream().map(ListedEntry::key).toList());
            assertNull(pages[1].nextCursor(), "the find fetched one more than the page and found none");
            ListedEntry first = pages[0].entries().get(0);
            assertArrayEquals(bytes("value of session:a"), first.value());
            assertEquals(START.plus(HOUR), first.expiresAt());
        }

        @Test
        void aCursorIsRefusedUnderAnotherPrefixAndWhenItIsNotOneAtAll() {
            save("a:1", "a:2", "b:1");
            String cursor = listing().list("a:", null, 1).nextCursor();
            assertNotNull(cursor);
            assertThrows(IllegalArgumentException.class, () -> listing().list("b:", cursor, 1));
            assertThrows(IllegalArgumentException.class, () -> listing().list("a:", "mongo1.!!!", 1));
            assertThrows(IllegalArgumentException.class, () -> listing().list("a:", cursor.substring(1), 1));
            assertEquals(1, listing().list("a:", cursor, 1).entries().size());
        }

        @Test
        void theUpperBoundOfAPrefixIsItsLastCodePointIncremented() {
            assertEquals("app;", MongoSessionListing.upperBound("app:"));
            assertEquals("b", MongoSessionListing.upperBound("a"));
            assertEquals("a\uE000", MongoSessionListing.upperBound("a\uD7FF"), "the surrogates are skipped");
            assertEquals("a" + new String(Character.toChars(0x10000)), MongoSessionListing.upperBound("a\uFFFF"));
            String highest = new String(Character.toChars(Character.MAX_CODE_POINT));
            assertEquals("b", MongoSessionListing.upperBound("a" + highest + highest));
            assertNull(MongoSessionListing.upperBound(highest));
            assertNull(MongoSessionListing.upperBound(""));
        }
    }
}
