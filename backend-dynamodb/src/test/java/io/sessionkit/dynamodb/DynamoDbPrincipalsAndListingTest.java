package io.sessionkit.dynamodb;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionBackendException;
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
import io.sessionkit.testsupport.LocalDynamoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the DynamoDB store adds to the contract's sections on a user's sessions and on listing:
 * the {@code principal} attribute and its global secondary index on a new table and on one of an
 * earlier release, which writes keep the principal, the re-check of what the index lists,
 * prefixes and cursors of the scan, and the requests each operation sends.
 */
class DynamoDbPrincipalsAndListingTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Map<String, AtomicLong> SENT = new ConcurrentHashMap<>();
    /** Keys added to every answer of a Query, as an index not yet up to date with the table lists them. */
    private static final List<Map<String, AttributeValue>> STALE_INDEX_ENTRIES = new CopyOnWriteArrayList<>();

    private static DynamoDbClient client;

    private final MutableClock clock = new MutableClock(START);
    private String table;
    private SessionBackend backend;

    @BeforeAll
    static void connect() {
        client = InterceptedClient.of(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                SENT.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                        name -> new AtomicLong()).incrementAndGet();
            }

            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof QueryResponse query && !STALE_INDEX_ENTRIES.isEmpty()) {
                    List<Map<String, AttributeValue>> items = new ArrayList<>(query.items());
                    items.addAll(STALE_INDEX_ENTRIES);
                    return query.toBuilder().items(items).count(items.size()).build();
                }
                return context.response();
            }
        });
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void pickFreshTableName() {
        table = "Principals_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    @AfterEach
    void deleteTable() {
        STALE_INDEX_ENTRIES.clear();
        if (backend != null) {
            backend.close();
        }
        client.deleteTable(request -> request.tableName(table));
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "dynamodb")
                .set("SESSION_DYNAMODB_TABLE", table)
                .client(client)
                .clock(clock);
    }

    private SessionBackend started() {
        backend = BackendRegistry.load().create(config().build());
        return backend;
    }

    /** A table as the release before principals created it: the key, nothing else. */
    private void createTableOfTheReleaseBefore() {
        client.createTable(request -> request.tableName(table)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    private TableDescription description() {
        return client.describeTable(request -> request.tableName(table)).table();
    }

    private Optional<GlobalSecondaryIndexDescription> principalIndexOf(TableDescription description) {
        return description.globalSecondaryIndexes().stream().filter(index -> index.indexName().equals("principal-index")).findFirst();
    }

    /**
     * Start-up does not wait for an added index to be filled in (on AWS that can take long); writes
     * meanwhile are fine on AWS, but DynamoDB Local logs a failed SQL statement for each (and
     * applies it all the same), which the log check of the tests would report.
     */
    private void awaitPrincipalIndexActive() {
        for (int poll = 0; poll < 300; poll++) {
            if (principalIndexOf(description()).orElseThrow().indexStatus() == IndexStatus.ACTIVE) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        fail("the principal index did not become ACTIVE: " + description());
    }

    private Map<String, AttributeValue> item(String key) {
        return client.getItem(request -> request.tableName(table).key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true)).item();
    }

    private String principalOf(String key) {
        AttributeValue principal = item(key).get("principal");
        return principal == null ? null : principal.s();
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
        index().entriesOf(principal).forEach(entry -> assertTrue(keys.add(entry.key()), "listed twice: " + entry.key()));
        return keys;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The requests {@code action} sent, by operation. */
    private static Map<String, Long> requestsOf(Runnable action) {
        SENT.clear();
        action.run();
        Map<String, Long> counts = new TreeMap<>();
        SENT.forEach((operation, sent) -> counts.put(operation, sent.get()));
        return counts;
    }

    @Nested
    class TheIndex {

        @Test
        void aNewTableHasAKeysOnlyGlobalSecondaryIndexOnPrincipal() {
            started();
            GlobalSecondaryIndexDescription index = principalIndexOf(description()).orElseThrow();
            assertEquals(List.of(KeySchemaElement.builder().attributeName("principal").keyType(KeyType.HASH).build()),
                    index.keySchema());
            assertEquals(ProjectionType.KEYS_ONLY, index.projection().projectionType());
            assertTrue(description().attributeDefinitions().contains(
                    AttributeDefinition.builder().attributeName("principal").attributeType(ScalarAttributeType.S).build()));
        }

        @Test
        void aTableOfTheReleaseBeforeGetsTheIndexAtStartUpAndItsSessionsCanThenBeFound() {
            createTableOfTheReleaseBefore();
            client.putItem(request -> request.tableName(table).item(Map.of(
                    "id", AttributeValue.fromS("session:old"),
                    "val", AttributeValue.fromB(SdkBytes.fromByteArray(bytes("old"))),
                    "expiration", AttributeValue.fromN(Long.toString(START.plus(HOUR).getEpochSecond())))));
            started();
            assertTrue(principalIndexOf(description()).isPresent(), "no index added: " + description());
            awaitPrincipalIndexActive();
            index().assign("session:old", null, "alice", HOUR);
            assertEquals(Set.of("session:old"), keysOf("alice"));
            assertArrayEquals(bytes("old"), backend.load("session:old"));
            try (SessionBackend second = BackendRegistry.load().create(config().build())) {
                assertEquals(1, description().globalSecondaryIndexes().size(), "a second start-up adds nothing");
                assertTrue(second.capability(PrincipalIndex.class).isPresent());
            }
        }

        @Test
        void aTableOfTheReleaseBeforeThatTheBackendMayNotChangeIsUsedWithoutAUsersSessions() {
            createTableOfTheReleaseBefore();
            backend = BackendRegistry.load().create(config().set("SESSION_DYNAMODB_CREATE_TABLE", "false").build());
            assertEquals(Optional.empty(), backend.capability(PrincipalIndex.class));
            assertTrue(backend.capability(SessionListing.class).isPresent());
            assertTrue(principalIndexOf(description()).isEmpty(), "the table was changed");
            backend.save("session:k", bytes("v"), HOUR);
            assertEquals(1, listing().count("session:"));
        }

        @Test
        void aTableOfTheReleaseBeforeThatTheBackendMayNotChangeIsAStartUpErrorWhenThePrincipalKeyIsSet() {
            createTableOfTheReleaseBefore();
            SessionBackendException error = assertThrows(SessionBackendException.class, () -> BackendRegistry.load().create(
                    config().set("SESSION_DYNAMODB_CREATE_TABLE", "false").set(ConfigKeys.SESSION_PRINCIPAL_KEY, "user").build()));
            String message = error.getMessage();
            assertTrue(message.contains("has no global secondary index 'principal-index', which SESSION_PRINCIPAL_KEY needs,"
                    + " and SESSION_DYNAMODB_CREATE_TABLE is false"), message);
            assertTrue(message.contains("partition key 'principal' of type S, projection KEYS_ONLY"), message);
            assertTrue(principalIndexOf(description()).isEmpty(), "the table was changed");
        }

        @Test
        void anIndexOfThatNameWithAnotherKeyIsAStartUpError() {
            client.createTable(request -> request.tableName(table)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("user").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(index -> index.indexName("principal-index")
                            .keySchema(KeySchemaElement.builder().attributeName("user").keyType(KeyType.HASH).build())
                            .projection(projection -> projection.projectionType(ProjectionType.ALL)))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            SessionBackendException error = assertThrows(SessionBackendException.class, () -> started());
            assertTrue(error.getMessage().contains("has a global secondary index 'principal-index' with the key"), error.getMessage());
        }
    }

    @Nested
    class ThePrincipalAttribute {

        @BeforeEach
        void start() {
            started();
        }

        @Test
        void assignSetsOrRemovesTheAttributeInOneUpdateItem() {
            backend.save("session:a", bytes("x"), HOUR);
            assertEquals(Map.of("UpdateItem", 1L), requestsOf(() -> index().assign("session:a", null, "alice", HOUR)));
            assertEquals("alice", principalOf("session:a"));
            index().assign("session:a", "alice", null, HOUR);
            assertNull(principalOf("session:a"));
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
        void aCreateOverAnExpiredItemDoesNotInheritTheDeadSessionsPrincipal() {
            backend.save("session:reused", bytes("first life"), HOUR);
            index().assign("session:reused", null, "alice", HOUR);
            clock.advance(HOUR);
            assertTrue(writes().create("session:reused", bytes("second life"), HOUR));
            assertNull(principalOf("session:reused"));
            assertEquals(Set.of(), keysOf("alice"));
        }

        @Test
        void assignLeavesAnExpiredItemAloneAndCreatesNone() {
            backend.save("session:expired", bytes("x"), HOUR);
            clock.advance(HOUR);
            index().assign("session:expired", null, "alice", HOUR);
            index().assign("session:none", null, "alice", HOUR);
            assertNull(principalOf("session:expired"));
            assertFalse(client.getItem(request -> request.tableName(table).key(Map.of("id", AttributeValue.fromS("session:none")))).hasItem());
        }

        @Test
        void whatTheIndexListsIsReadAgainSoExpiredAndForeignItemsAreLeftOut() {
            backend.save("session:live", bytes("live"), HOUR);
            backend.save("session:short", bytes("short"), Duration.ofMinutes(1));
            index().assign("session:live", null, "alice", HOUR);
            index().assign("session:short", null, "alice", Duration.ofMinutes(1));
            // An item the backend did not write (no payload) under the same principal.
            client.putItem(request -> request.tableName(table).item(Map.of("id", AttributeValue.fromS("session:husk"),
                    "principal", AttributeValue.fromS("alice"),
                    "expiration", AttributeValue.fromN(Long.toString(START.plus(HOUR).getEpochSecond())))));
            clock.advance(Duration.ofMinutes(1));

            List<ListedEntry> entries = index().entriesOf("alice");
            assertEquals(1, entries.size(), entries.toString());
            assertEquals("session:live", entries.get(0).key());
            assertArrayEquals(bytes("live"), entries.get(0).value());
            assertEquals(START.plus(HOUR), entries.get(0).expiresAt());
        }

        @Test
        void keysTheIndexStillListsAfterAChangeOfUserOrADeleteAreLeftOut() {
            backend.save("session:alice", bytes("a"), HOUR);
            backend.save("session:now-bob", bytes("b"), HOUR);
            index().assign("session:alice", null, "alice", HOUR);
            index().assign("session:now-bob", null, "bob", HOUR);
            // On AWS the index is updated asynchronously: for a moment it may still list a session
            // under the user it had before, or one that was deleted. DynamoDB Local never lags, so
            // the index's answer is made stale here.
            for (String key : List.of("session:now-bob", "session:deleted")) {
                STALE_INDEX_ENTRIES.add(Map.of("id", AttributeValue.fromS(key), "principal", AttributeValue.fromS("alice")));
            }
            assertEquals(Set.of("session:alice"), keysOf("alice"));
            assertEquals(1, index().entriesOf("alice").size());
        }

        @Test
        void aUserWithManySessionsIsOneQueryAndABatchGetPerHundredKeys() {
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < 130; i++) {
                String key = "session:" + i;
                backend.save(key, bytes("v" + i), HOUR);
                index().assign(key, null, "alice", HOUR);
                keys.add(key);
            }
            Set<String> listed = new HashSet<>();
            assertEquals(Map.of("Query", 1L, "BatchGetItem", 2L), requestsOf(() -> listed.addAll(keysOf("alice"))));
            assertEquals(keys, listed);
        }

        @Test
        void theLargestAcceptedSessionCanStillBeGivenTheLongestPrincipal() {
            String key = "session:" + "k".repeat(43);
            byte[] largest = new byte[DynamoDbRequests.MAX_ITEM_BYTES - key.length() - DynamoDbRequests.ITEM_OVERHEAD_BYTES];
            backend.save(key, largest, HOUR);
            String longest = "\u20ac".repeat(256);
            index().assign(key, null, longest, HOUR);
            assertTrue(backend.capability(SessionLocks.class).orElseThrow().tryLock(key, "t".repeat(64), HOUR));
            assertEquals(Set.of(key), keysOf(longest));
        }
    }

    @Nested
    class Listing {

        @BeforeEach
        void start() {
            started();
        }

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
                assertTrue(page.entries().size() <= limit);
                page.entries().forEach(entry -> assertTrue(keys.add(entry.key()), "listed twice: " + entry.key()));
                cursor = page.nextCursor();
            } while (cursor != null);
            return keys;
        }

        @Test
        void aPrefixCountsAndListsItsOwnKeysOnlyNotThoseOfAPrefixThatMerelyStartsLikeIt() {
            save("app:", "app:a", "app:zz", "app;", "app", "ap:", "app2:a", "APP:a");
            assertEquals(3, listing().count("app:"));
            assertEquals(Set.of("app:", "app:a", "app:zz"), walk("app:", 2));
            assertEquals(Set.of("app2:a"), walk("app2:", 1));
            assertEquals(1, listing().count("app:z"));
            assertEquals(8, listing().count(""));
            assertEquals(8, walk("", 3).size());
        }

        @Test
        void expiredItemsAndItemsHoldingOnlyALockAreNotSessions() {
            save("session:a");
            backend.save("session:short", bytes("x"), Duration.ofMinutes(1));
            assertTrue(backend.capability(SessionLocks.class).orElseThrow().tryLock("session:lock-only", "t", HOUR));
            clock.advance(Duration.ofMinutes(1));
            assertEquals(1, listing().count("session:"));
            assertEquals(Set.of("session:a"), walk("session:", 1));
        }

        @Test
        void aPageIsOneScanAndACountOneScanPerMegabyte() {
            save("session:a", "session:b", "session:c");
            assertEquals(Map.of("Scan", 1L), requestsOf(() -> assertEquals(3, listing().count("session:"))));
            ListedPage[] page = new ListedPage[1];
            assertEquals(Map.of("Scan", 1L), requestsOf(() -> page[0] = listing().list("session:", null, 10)));
            assertEquals(3, page[0].entries().size());
            assertNull(page[0].nextCursor(), "a scan that reached the end of the table");
            Map<String, ListedEntry> byKey = new HashMap<>();
            page[0].entries().forEach(entry -> byKey.put(entry.key(), entry));
            assertArrayEquals(bytes("value of session:a"), byKey.get("session:a").value());
            assertEquals(START.plus(HOUR), byKey.get("session:a").expiresAt());
        }

        @Test
        void aCursorIsRefusedUnderAnotherPrefixAndWhenItIsNotOneAtAll() {
            save("a:1", "a:2", "b:1");
            String cursor = listing().list("a:", null, 1).nextCursor();
            assertNotNull(cursor);
            assertThrows(IllegalArgumentException.class, () -> listing().list("b:", cursor, 1));
            assertThrows(IllegalArgumentException.class, () -> listing().list("a:", "ddb1.!!!.x", 1));
            assertThrows(IllegalArgumentException.class, () -> listing().list("a:", cursor.substring(1), 1));
            assertThrows(IllegalArgumentException.class, () -> listing().list("a:", cursor + ".x", 1));
            listing().list("a:", cursor, 1);
        }
    }
}
