package io.sessionkit.core;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.VersionedEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each operation of the backend the near cache puts in front of a store, called directly: what
 * reaches the store and what the next read finds in memory.
 */
class NearCachedBackendTest {

    private static final String KEY = "session:k";
    private static final Duration HOUR = Duration.ofHours(1);

    private final MovingClock clock = new MovingClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final TellingMemoryBackend store = new TellingMemoryBackend(clock);
    private final ReadsSeen seen = new ReadsSeen();
    private final SessionBackend backend = NearCachedBackend.wrapIfEnabled(config("100"), store.node(), "telling", seen);
    private final ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
    private final ExpiryReportingLoad reads = backend.capability(ExpiryReportingLoad.class).orElseThrow();

    @AfterEach
    void close() {
        backend.close();
    }

    private SessionConfig config(String nearCache) {
        return SessionConfig.builder().set("SESSION_NEAR_CACHE", nearCache).set("SESSION_REFRESH_EACH_REQUEST", "false")
                .clock(clock).build();
    }

    private static SessionBackend wrap(SessionConfig config, SessionBackend store, String name) {
        return NearCachedBackend.wrapIfEnabled(config, store, name, SessionEngineObserver.NONE);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private long storeReads() {
        return store.count("loadWithExpiry") + store.count("load") + store.count("loadVersioned");
    }

    /** Waits until the store was asked to confirm a copy more often than {@code before}, and the answer applied. */
    private void awaitConfirmed(long before) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (store.count("currentVersions") <= before) {
            if (System.nanoTime() > deadline) {
                fail("the copy was never confirmed");
            }
            Thread.onSpinWait();
        }
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void assertAnsweredFromMemory(Runnable read) {
        long before = storeReads();
        read.run();
        assertEquals(before, storeReads(), "the store was read");
    }

    private static Thread newVerifier(Runnable action) {
        List<Thread> before = List.copyOf(Thread.getAllStackTraces().keySet());
        action.run();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("sessionkit-near-cache-verifier") && !before.contains(thread))
                .findFirst().orElse(null);
    }

    /** Reads until a read is answered from memory, and returns what it answered. */
    private <T> T servedFromMemory(Supplier<T> read) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            long before = storeReads();
            T answer = read.get();
            if (storeReads() == before) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                fail("never answered from memory");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void withoutSizeTheStoreIsUsedAsItIs() {
        SessionBackend plain = store.node();
        assertSame(plain, wrap(config("off"), plain, "telling"));
    }

    @Test
    void aStoreMissingACapabilityIsUsedAsItIsAndTheWarningNamesWhatIsMissing() {
        SessionBackend feedOnly = new FeedOnly(store.node());
        List<String> warnings = LogCapture.warnings(NearCachedBackend.class,
                () -> assertSame(feedOnly, wrap(config("100"), feedOnly, "feed-only")));
        assertEquals(1, warnings.size());
        String warning = warnings.get(0);
        assertTrue(warning.contains("'feed-only'") && warning.contains("ConditionalWrites, ExpiryReportingLoad"), warning);
        assertFalse(warning.contains("InvalidationFeed"), warning);
    }

    @Test
    void aLoadIsAnsweredFromMemoryOnceRead() {
        store.overwrite(KEY, bytes("one"), HOUR);
        assertArrayEquals(bytes("one"), backend.load(KEY));
        long before = storeReads();
        assertArrayEquals(bytes("one"), backend.load(KEY));
        assertEquals(before, storeReads());
        assertNull(backend.load("session:absent"));
    }

    @Test
    void theObserverHearsWhetherEachReadWasAnsweredFromMemory() {
        store.overwrite(KEY, bytes("one"), HOUR);
        backend.load(KEY);
        assertEquals(List.of(0, 1), seen.counts());
        backend.load(KEY);
        reads.loadWithExpiry(KEY);
        writes.loadVersioned(KEY);
        assertEquals(List.of(3, 1), seen.counts());
        backend.load("session:absent");
        assertEquals(List.of(3, 2), seen.counts());
        store.overwrite(KEY, bytes("two"), HOUR); // told: the copy is dropped
        assertArrayEquals(bytes("two"), backend.load(KEY));
        assertEquals(List.of(3, 3), seen.counts());
    }

    @Test
    void aBlindSaveIsKeptAndConfirmed() {
        long confirmations = store.count("currentVersions");
        backend.save(KEY, bytes("saved"), HOUR);
        awaitConfirmed(confirmations);
        assertAnsweredFromMemory(() -> assertArrayEquals(bytes("saved"), backend.load(KEY)));
        assertArrayEquals(bytes("saved"), servedFromMemory(() -> backend.load(KEY)));
        VersionedEntry entry = servedFromMemory(() -> reads.loadWithExpiry(KEY));
        assertEquals(TellingMemoryBackend.versionOf(bytes("saved")), entry.version());
        assertEquals(clock.instant().plus(HOUR), entry.expiresAt());
    }

    @Test
    void aTouchMovesTheCopysExpiry() {
        backend.save(KEY, bytes("x"), HOUR);
        servedFromMemory(() -> backend.load(KEY));
        long confirmations = store.count("currentVersions");
        backend.touch(KEY, Duration.ofHours(3));
        awaitConfirmed(confirmations);
        assertAnsweredFromMemory(() -> reads.loadWithExpiry(KEY));
        VersionedEntry entry = servedFromMemory(() -> reads.loadWithExpiry(KEY));
        assertEquals(clock.instant().plus(Duration.ofHours(3)), entry.expiresAt());
        clock.advance(Duration.ofHours(2));
        assertArrayEquals(bytes("x"), servedFromMemory(() -> backend.load(KEY)), "alive past the old expiry");

        backend.touch("session:absent", HOUR);
        assertNull(backend.load("session:absent"), "a touch creates nothing");
    }

    @Test
    void aDeleteForgetsTheCopy() {
        backend.save(KEY, bytes("x"), HOUR);
        servedFromMemory(() -> backend.load(KEY));
        backend.delete(KEY);
        assertNull(backend.load(KEY));
        assertTrue(store.calls.contains("delete"));
    }

    @Test
    void conditionalWritesAnswerAsTheStoreDoesAndKeepOnlyWhatTheyWrote() {
        long confirmations = store.count("currentVersions");
        assertTrue(writes.create(KEY, bytes("one"), HOUR));
        awaitConfirmed(confirmations);
        assertAnsweredFromMemory(() -> writes.loadVersioned(KEY));
        assertFalse(writes.create(KEY, bytes("two"), HOUR), "the key is taken");
        VersionedEntry one = writes.loadVersioned(KEY);
        assertArrayEquals(bytes("one"), one.value());

        assertFalse(writes.replace(KEY, one.version() + 1, bytes("stale"), HOUR));
        long before = storeReads();
        assertArrayEquals(bytes("one"), writes.loadVersioned(KEY).value());
        assertEquals(before + 1, storeReads(), "a refused replace forgets the copy: the store is asked");

        assertTrue(writes.replace(KEY, one.version(), bytes("three"), HOUR));
        VersionedEntry three = servedFromMemory(() -> writes.loadVersioned(KEY));
        assertArrayEquals(bytes("three"), three.value());

        assertFalse(writes.delete(KEY, one.version()), "a stale version deletes nothing");
        assertTrue(writes.delete(KEY, three.version()));
        assertNull(writes.loadVersioned(KEY));
    }

    @Test
    void aReadThatTouchesKeepsTheNewExpiry() {
        store.overwrite(KEY, bytes("x"), HOUR);
        long confirmations = store.count("currentVersions");
        VersionedEntry entry = writes.loadVersionedAndTouch(KEY, Duration.ofHours(5));
        assertArrayEquals(bytes("x"), entry.value());
        awaitConfirmed(confirmations);
        assertAnsweredFromMemory(() -> reads.loadWithExpiry(KEY));
        VersionedEntry kept = servedFromMemory(() -> reads.loadWithExpiry(KEY));
        assertEquals(clock.instant().plus(Duration.ofHours(5)), kept.expiresAt());
        assertNull(writes.loadVersionedAndTouch("session:absent", HOUR));
    }

    @Test
    void aWriteTheStoreRefusedLeavesLaterWritesTrusted() {
        backend.save(KEY, bytes("one"), HOUR);
        servedFromMemory(() -> backend.load(KEY));
        store.refusal = new IllegalStateException("connection refused");
        assertThrows(IllegalStateException.class, () -> backend.save(KEY, bytes("two"), HOUR));
        store.refusal = null;
        backend.save(KEY, bytes("three"), HOUR);
        assertArrayEquals(bytes("three"), servedFromMemory(() -> backend.load(KEY)));
    }

    @Test
    void theStoresOtherCapabilitiesAreItsOwn() {
        Optional<ExpiredSessionCleanup> cleanup = backend.capability(ExpiredSessionCleanup.class);
        assertTrue(cleanup.isPresent());
        backend.save(KEY, bytes("x"), Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, cleanup.get().deleteExpired());
    }

    @Test
    void aFeedThatCannotStartLeavesNoCache() {
        SessionBackend failing = new FeedOnly(store.node()) {
            @Override
            public <C> Optional<C> capability(Class<C> type) {
                if (type == InvalidationFeed.class) {
                    return Optional.of(type.cast(new Refusing()));
                }
                return delegate.capability(type);
            }
        };
        List<Thread> before = List.copyOf(Thread.getAllStackTraces().keySet());
        assertThrows(IllegalStateException.class, () -> wrap(config("100"), failing, "x"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> !before.contains(thread)
                && thread.getName().equals("sessionkit-near-cache-verifier") && thread.isAlive())) {
            assertTrue(System.nanoTime() < deadline, "the confirming thread of the failed cache still runs");
            Thread.onSpinWait();
        }
    }

    @Test
    void closingEndsTheConfirmingThreadAndClosesTheStore() {
        SessionBackend[] opened = new SessionBackend[1];
        Thread verifier = newVerifier(() -> opened[0] = wrap(config("100"), store.node(), "x"));
        opened[0].close();
        assertTrue(store.calls.contains("close"));
        awaitEnd(verifier);
    }

    @Test
    void aStoreWithoutConditionalWritesIsUsedAsItIs() {
        SessionBackend noWrites = new FeedOnly(store.node()) {
            @Override
            public <C> Optional<C> capability(Class<C> type) {
                return type == ConditionalWrites.class ? Optional.empty() : delegate.capability(type);
            }
        };
        List<String> warnings = LogCapture.warnings(NearCachedBackend.class,
                () -> assertSame(noWrites, wrap(config("100"), noWrites, "no-writes")));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("(it does not offer ConditionalWrites)"), warnings.get(0));
    }

    @Test
    void aStoreWithoutReadsThatReportExpiryIsUsedAsItIs() {
        SessionBackend noExpiry = new FeedOnly(store.node()) {
            @Override
            public <C> Optional<C> capability(Class<C> type) {
                return type == ExpiryReportingLoad.class ? Optional.empty() : delegate.capability(type);
            }
        };
        List<String> warnings = LogCapture.warnings(NearCachedBackend.class,
                () -> assertSame(noExpiry, wrap(config("100"), noExpiry, "no-expiry")));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("(it does not offer ExpiryReportingLoad)"), warnings.get(0));
    }

    private static void awaitEnd(Thread thread) {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(thread.isAlive(), "the confirming thread still runs");
    }

    /** A store seen through only its feed and the five operations. */
    private static class FeedOnly implements SessionBackend {
        final SessionBackend delegate;

        FeedOnly(SessionBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] load(String key) {
            return delegate.load(key);
        }

        @Override
        public void save(String key, byte[] value, Duration timeToLive) {
            delegate.save(key, value, timeToLive);
        }

        @Override
        public void touch(String key, Duration timeToLive) {
            delegate.touch(key, timeToLive);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public <C> Optional<C> capability(Class<C> type) {
            return type == InvalidationFeed.class ? delegate.capability(type) : Optional.empty();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** A feed whose subscription fails. */
    private static final class Refusing implements InvalidationFeed {
        @Override
        public Subscription subscribe(String keyPrefix, io.sessionkit.spi.InvalidationListener listener) {
            throw new IllegalStateException("no connection for the feed");
        }

        @Override
        public long versionOf(byte[] value) {
            return 0;
        }

        @Override
        public List<Long> currentVersions(List<String> keys) {
            return List.of();
        }
    }

    /** Counts the reads the near cache answered and those it passed to the store. */
    private static final class ReadsSeen implements SessionEngineObserver {
        private final AtomicInteger hits = new AtomicInteger();
        private final AtomicInteger misses = new AtomicInteger();

        @Override
        public void nearCacheHit() {
            hits.incrementAndGet();
        }

        @Override
        public void nearCacheMiss() {
            misses.incrementAndGet();
        }

        List<Integer> counts() {
            return List.of(hits.get(), misses.get());
        }
    }
}
