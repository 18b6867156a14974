package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import io.sessionkit.spi.TouchingLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code SESSION_NEAR_CACHE} in front of a store that tells its changes: what is answered from
 * memory, what still goes to the store, and every way a copy stops being trusted.
 */
class NearCacheTest {

    private final MovingClock clock = new MovingClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final TellingMemoryBackend store = new TellingMemoryBackend(clock);
    private final List<SessionInterface> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(SessionInterface::close);
    }

    private SessionInterface node(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("SESSION_NEAR_CACHE", "100",
                "SESSION_REFRESH_MIN_INTERVAL", "PT1M"));
        all.putAll(settings);
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().fromMap(all).clock(clock).build(),
                store.node());
        engines.add(engine);
        return engine;
    }

    private SessionInterface node() {
        return node(Map.of());
    }

    private static String created(SessionInterface node, Object count) {
        Session session = node.open(null);
        session.put("count", count);
        node.save(session);
        return session.id();
    }

    private static Object read(SessionInterface node, String id) {
        Session session = node.open(id);
        Object count = session.get("count");
        node.save(session);
        return count;
    }

    private static void put(SessionInterface node, String id, Object count) {
        Session session = node.open(id);
        session.put("count", count);
        node.save(session);
    }

    private long storeReads() {
        return store.count("loadWithExpiry") + store.count("loadVersioned") + store.count("load");
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 5 s");
            }
            Thread.onSpinWait();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the engine's copy of the session, written by itself, is confirmed and served. */
    private void awaitServed(SessionInterface node, String id) {
        await(() -> {
            long before = storeReads();
            read(node, id);
            return storeReads() == before;
        });
    }

    @Test
    void aSessionReadAgainIsAnsweredFromMemory() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        long before = storeReads();
        for (int i = 0; i < 10; i++) {
            assertEquals(1, read(node, id));
        }
        assertEquals(before, storeReads(), "ten reads, none reaching the store");
    }

    @Test
    void aSessionThisNodeSavedIsReadFromMemoryByAttributeAsTheStoreWouldGiveIt() {
        SessionInterface node = node();
        Session first = node.open(null);
        first.put("count", 1);
        first.put("profile", new TreeMap<>(Map.of("name", "Ada", "visits", 5L)));
        node.save(first);
        String id = first.id();
        awaitServed(node, id);
        List<Object> cart = new ArrayList<>(List.of(5L, Map.of("sku", "A-1")));
        put(node, id, cart);
        cart.add("changed by the application after the save");

        // The first read answered from memory: a read of the store does not hand out the bytes saved.
        TrackedSession[] fromMemory = new TrackedSession[1];
        Object[] count = new Object[1];
        await(() -> {
            long before = storeReads();
            fromMemory[0] = (TrackedSession) node.open(id);
            count[0] = fromMemory[0].get("count");
            node.save(fromMemory[0]);
            return storeReads() == before;
        });

        AttributesCopiedOnRead attributes = (AttributesCopiedOnRead) fromMemory[0].stored().record().attributes();
        Object profile = attributes.forReading().entrySet().stream()
                .filter(entry -> entry.getKey().equals("profile")).findFirst().orElseThrow().getValue();
        assertTrue(profile instanceof JsonSlice, "an attribute never reached is never parsed: " + profile);
        Session fromStore = node(Map.of("SESSION_NEAR_CACHE", "0")).open(id);
        assertEquals(List.of(5, Map.of("sku", "A-1")), fromStore.get("count"));
        assertEquals(fromStore.get("count"), count[0]);
        assertEquals(List.of(Integer.class, LinkedHashMap.class),
                ((List<?>) count[0]).stream().map(Object::getClass).toList(), "the types a parse gives");
        assertEquals(fromStore.get("profile"), fromMemory[0].get("profile"));
        assertEquals(Map.of("name", "Ada", "visits", 5), fromMemory[0].get("profile"));
    }

    @Test
    void aSessionReadFromMemoryAgainIsNotParsedAgain() {
        AtomicInteger parsed = new AtomicInteger();
        SessionSerializer json = new JsonSessionSerializer();
        SessionSerializer counting = new SessionSerializer() {
            @Override
            public String format() {
                return json.format();
            }

            @Override
            public byte[] serialize(SessionRecord record) {
                return json.serialize(record);
            }

            @Override
            public SessionRecord deserialize(byte[] data) {
                parsed.incrementAndGet();
                return json.deserialize(data);
            }

            @Override
            public <T> T convert(Object value, Type type) {
                return json.convert(value, type);
            }
        };
        SessionInterface node = SessionInterface.builder(SessionConfig.builder().fromMap(Map.of(
                        "SESSION_NEAR_CACHE", "100", "SESSION_REFRESH_MIN_INTERVAL", "PT1M")).clock(clock).build())
                .backend(store.node()).serializer(counting).build();
        engines.add(node);
        String id = created(node, 1);
        awaitServed(node, id);

        int before = parsed.get();
        long storeReadsBefore = storeReads();
        for (int i = 0; i < 10; i++) {
            assertEquals(1, read(node, id));
        }
        assertEquals(storeReadsBefore, storeReads(), "answered from memory");
        assertTrue(parsed.get() - before <= 2, "parsed " + (parsed.get() - before) + " times in ten reads");
    }

    @Test
    void aValueChangedInPlaceWithoutSavingIsNotSeenByTheNextRequest() {
        SessionInterface node = node();
        Session created = node.open(null);
        created.put("cart", new ArrayList<>(List.of("mug")));
        node.save(created);
        String id = created.id();
        awaitServed(node, id);

        long before = storeReads();
        for (int i = 0; i < 5; i++) {
            Session session = node.open(id);
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) session.get("cart");
            assertEquals(List.of("mug"), cart, "request " + i);
            cart.add("changed in place, never put back");
            node.save(session);
        }
        assertEquals(before, storeReads(), "every request answered from memory");
    }

    @Test
    void aSaveAfterReadingOneValueFromMemoryKeepsTheOthersAsTheyWere() {
        SessionInterface node = node();
        Session created = node.open(null);
        created.put("cart", new ArrayList<>(List.of("mug")));
        created.put("profile", new HashMap<>(Map.of("name", "Ada")));
        created.put("token", "t-1");
        node.save(created);
        String id = created.id();
        awaitServed(node, id);
        for (int i = 0; i < 3; i++) {
            node.save(node.open(id)); // past the reads that parse, to the ones that copy
        }

        Session session = node.open(id);
        @SuppressWarnings("unchecked")
        List<Object> cart = (List<Object>) session.get("cart");
        cart.add("beans");
        session.put("cart", cart);
        session.put("token", "t-2");
        node.save(session);

        Session elsewhere = node().open(id);
        assertEquals(List.of("mug", "beans"), elsewhere.get("cart"));
        assertEquals(Map.of("name", "Ada"), elsewhere.get("profile"), "saved as read, never reached");
        assertEquals("t-2", elsewhere.get("token"));
    }

    @Test
    void aSessionThisNodeWroteIsConfirmedWithTheStoreAndNotReadBack() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        long reads = storeReads();
        long confirmations = store.count("currentVersions");
        int callsBefore = store.calls.size();
        put(node, id, 2);
        await(() -> store.count("currentVersions") > confirmations);
        pause(); // the confirmation's answer is applied on the verifier's thread
        assertEquals(2, read(node, id));
        assertEquals(reads, storeReads(), "the written copy is kept: the store was never read; "
                + store.calls.subList(callsBefore, store.calls.size()));
    }

    @Test
    void anotherNodesChangeIsSeenAtOnce() {
        SessionInterface a = node();
        SessionInterface b = node();
        String id = created(a, 1);
        awaitServed(a, id);
        assertEquals(1, read(b, id));

        put(b, id, 2);
        assertEquals(2, read(a, id));
        put(a, id, 3);
        assertEquals(3, read(b, id));
    }

    @Test
    void aChangeOutsideTheEnginesIsSeen() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        Session other = node.open(null);
        other.put("count", 9);
        byte[] nine = node.serializer().serialize(((TrackedSession) other).toRecord());
        store.overwrite("session:" + id, nine, Duration.ofDays(1));
        assertEquals(9, read(node, id));

        store.remove("session:" + id);
        assertTrue(node.open(id).isNew(), "a session deleted in the store is not served from memory");
    }

    @Test
    void aTellingThatHasArrivedButIsNotYetToldSendsReadsToTheStore() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        store.feeds().forEach(feed -> feed.caughtUp = false);
        long before = storeReads();
        assertEquals(1, read(node, id));
        assertEquals(before + 1, storeReads());
        store.feeds().forEach(feed -> feed.caughtUp = true);
    }

    @Test
    void aStaleCopyIsRefusedByTheConditionalSaveAndTheChangesAreMerged() {
        SessionInterface a = node();
        SessionInterface b = node();
        String id = created(a, 1);
        awaitServed(a, id);

        store.holdTellings = true; // a's feed has not told b's change yet: a's copy is stale
        Session fromB = b.open(id);
        fromB.put("other", "from b");
        b.save(fromB);

        Session fromA = a.open(id);
        assertEquals(1, fromA.get("count"), "the stale copy, as a read racing the telling would see it");
        fromA.put("count", 2);
        a.save(fromA);
        store.holdTellings = false;
        store.deliverTellings();

        Session merged = b.open(id);
        assertEquals(2, merged.get("count"));
        assertEquals("from b", merged.get("other"), "the stale copy did not overwrite the other node's change");
    }

    @Test
    void aLostFeedEmptiesTheCacheUntilItIsLiveAgain() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        store.feeds().forEach(TellingMemoryBackend.Feed::lose);
        long before = storeReads();
        read(node, id);
        read(node, id);
        assertEquals(before + 2, storeReads(), "without a feed every read goes to the store, and nothing is kept");

        store.feeds().forEach(TellingMemoryBackend.Feed::reconnect);
        read(node, id);
        long afterRefill = storeReads();
        assertEquals(1, read(node, id));
        assertEquals(afterRefill, storeReads(), "kept again once the feed is live");
    }

    @Test
    void aFlushOfTheStoreEmptiesTheCache() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        store.feeds().forEach(TellingMemoryBackend.Feed::flushAll);
        long before = storeReads();
        read(node, id);
        assertEquals(before + 1, storeReads());
    }

    @Test
    void aCopyIsNeverServedPastItsExpiry() {
        SessionInterface node = node(Map.of("PERMANENT_SESSION_LIFETIME", "PT10M", "SESSION_REFRESH_EACH_REQUEST", "false"));
        String id = created(node, 1);
        awaitServed(node, id);

        clock.advance(Duration.ofMinutes(10));
        assertTrue(node.open(id).isNew(), "expired in memory as in the store");
    }

    @Test
    void aLogoutForgetsTheCopy() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        Session session = node.open(id);
        session.invalidate();
        node.save(session);
        assertTrue(node.open(id).isNew());
    }

    @Test
    void aFailedWriteForgetsTheCopy() {
        SessionInterface node = node();
        String id = created(node, 1);
        awaitServed(node, id);

        store.writeFailure = new IllegalStateException("connection reset");
        assertThrows(RuntimeException.class, () -> put(node, id, 2));
        store.writeFailure = null;
        long before = storeReads();
        assertEquals(2, read(node, id), "the store made the change before failing");
        assertEquals(before + 1, storeReads(), "whether the write was made was unknown: the store is asked");
    }

    @Test
    void sizesInBytesBoundTheMemoryKept() {
        SessionInterface node = node(Map.of("SESSION_NEAR_CACHE", "1KiB"));
        Session session = node.open(null);
        session.put("big", "x".repeat(4096));
        long confirmations = store.count("currentVersions");
        node.save(session);
        pause(); // had the copy been kept, it would be confirmed by now
        assertEquals(confirmations, store.count("currentVersions"), "no copy was kept to confirm");

        long before = storeReads();
        node.open(session.id()).get("big");
        node.open(session.id()).get("big");
        assertEquals(before + 2, storeReads(), "a session heavier than the whole cache is never kept");
    }

    @Test
    void theCapabilitiesTheEngineReadsThroughAreTheCachesOwn() {
        SessionInterface node = node();
        assertTrue(node.capability(ConditionalWrites.class).orElseThrow().getClass().getName()
                .startsWith(NearCachedBackend.class.getName()));
        assertTrue(node.capability(ExpiryReportingLoad.class).orElseThrow().getClass().getName()
                .startsWith(NearCachedBackend.class.getName()));
        assertTrue(node.capability(TouchingLoad.class).isEmpty(), "a read that writes would be told back");
        assertTrue(node.capability(InvalidationFeed.class).isEmpty(), "the feed is the cache's alone");
        assertTrue(node.capability(ExpiredSessionCleanup.class).orElseThrow().getClass().getName()
                .startsWith(TellingMemoryBackend.class.getName()), "the others are the store's");
    }

    @Test
    void closingTheEngineStopsTheFeedAndClosesTheStore() {
        SessionInterface node = node();
        assertEquals(1, store.feeds().size());
        node.close();
        engines.remove(node);
        assertEquals(0, store.feeds().size());
        assertTrue(store.calls.contains("close"));
    }

    @Test
    void aBackendThatCannotTellChangesRunsWithoutNearCacheAndSaysSo() {
        CountingMemoryBackend.ExpiryReporting plain = new CountingMemoryBackend.ExpiryReporting();
        List<String> warnings = LogCapture.warnings(NearCachedBackend.class, () -> {
            SessionInterface engine = SessionInterface.create(SessionConfig.builder().set("SESSION_NEAR_CACHE", "100")
                    .set("SESSION_REFRESH_MIN_INTERVAL", "PT1M").clock(clock).build(), plain);
            engines.add(engine);
            Session session = engine.open(null);
            session.put("count", 1);
            engine.save(session);
            plain.calls.clear();
            engine.open(session.id()).get("count");
            engine.open(session.id()).get("count");
            assertEquals(2, plain.calls.size(), "every read reaches the store: " + plain.calls);
        });
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("SESSION_NEAR_CACHE") && warnings.get(0).contains("InvalidationFeed"),
                warnings.get(0));
    }

    @Test
    void aNearCacheWithARefreshOnEveryReadIsRefused() {
        SessionConfigException refused = assertThrows(SessionConfigException.class,
                () -> SessionConfig.builder().set("SESSION_NEAR_CACHE", "100").build());
        assertTrue(refused.getMessage().contains("SESSION_REFRESH_MIN_INTERVAL"), refused.getMessage());
        assertTrue(SessionConfig.builder().set("SESSION_NEAR_CACHE", "100").set("SESSION_REFRESH_EACH_REQUEST", "false")
                .build().nearCache().enabled());
        assertTrue(SessionConfig.builder().set("SESSION_NEAR_CACHE", "100").set("SESSION_PERMANENT", "false")
                .build().nearCache().enabled());
    }

    @Test
    void theSizeIsANumberOfSessionsOrOfBytes() {
        assertEquals(NearCacheSize.OFF, size("off"));
        assertEquals(NearCacheSize.OFF, size("0"));
        assertEquals(new NearCacheSize(10_000, false), size("10000"));
        assertEquals(new NearCacheSize(64L << 20, true), size("64MiB"));
        assertEquals(new NearCacheSize(64L << 20, true), size("64 mb"));
        assertEquals(new NearCacheSize(2L << 10, true), size("2KiB"));
        assertEquals(new NearCacheSize(3L << 30, true), size("3GiB"));
        assertEquals(new NearCacheSize(8_589_934_591L << 30, true), size("8589934591GiB"), "the most bytes a long holds");
        assertEquals("off", NearCacheSize.OFF.toString());
        assertEquals("5 sessions", new NearCacheSize(5, false).toString());
        assertEquals("2048 bytes", new NearCacheSize(2048, true).toString());
        assertFalse(SessionConfig.builder().build().nearCache().enabled(), "off by default");
        for (String bad : List.of("lots", "10 sessions", "-5", "1.5MiB", "9999999999999GiB", "8589934592GiB")) {
            SessionConfigException refused = assertThrows(SessionConfigException.class, () -> size(bad), bad);
            assertTrue(refused.getMessage().contains("SESSION_NEAR_CACHE"), refused.getMessage());
        }
    }

    private static NearCacheSize size(String value) {
        return SessionConfig.builder().set("SESSION_NEAR_CACHE", value).set("SESSION_REFRESH_EACH_REQUEST", "false")
                .build().nearCache();
    }
}
