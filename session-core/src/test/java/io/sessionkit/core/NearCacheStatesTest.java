package io.sessionkit.core;

import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.InvalidationListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The near cache's rules, one state at a time, on one thread: which copy a read or a write may
 * leave, what a telling does to it, and when the store is asked to confirm it. The store's
 * current versions are a map the test sets; the feed is always caught up unless a test says not.
 */
class NearCacheStatesTest {

    private static final String KEY = "session:k";

    private final MovingClock clock = new MovingClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final Map<String, Long> stored = new ConcurrentHashMap<>();
    private final List<List<String>> asked = new CopyOnWriteArrayList<>();
    private volatile RuntimeException versionsFailure;
    private volatile boolean caughtUp = true;
    private volatile boolean catchesUpWhileWaiting;
    private final List<Duration> patiences = new ArrayList<>();
    private NearCache cache;

    @BeforeEach
    void live() {
        cache = new NearCache(new NearCacheSize(100, false), new Versions(), clock);
        cache.watch(new Subscription());
        cache.live();
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private NearCache.Copy copy(long version) {
        return new NearCache.Copy(new byte[] {(byte) version}, version, clock.instant().plus(Duration.ofHours(1)));
    }

    private void read(long version) {
        NearCache.Ticket ticket = cache.beforeRead(KEY);
        cache.afterRead(KEY, ticket, copy(version));
    }

    private UnaryOperator<NearCache.Copy> becomes(long version) {
        NearCache.Copy copy = copy(version);
        return before -> copy;
    }

    private void awaitServed(long version) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            NearCache.Copy copy = cache.lookup(KEY);
            if (copy != null && copy.version() == version) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("version " + version + " was never served; asked " + asked);
            }
            Thread.onSpinWait();
        }
    }

    private void awaitAsked(int times) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (asked.size() < times) {
            if (System.nanoTime() > deadline) {
                fail("the store was asked " + asked.size() + " times, not " + times);
            }
            Thread.onSpinWait();
        }
        try {
            Thread.sleep(50); // the answer is applied on the verifier's thread
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReadKeepsWhatItFound() {
        read(1);
        assertEquals(1, cache.lookup(KEY).version());
        assertEquals(1, cache.size());
    }

    @Test
    void aReadFromBeforeAChangeKeepsNothingEvenWhenAnotherReadStartedSince() {
        NearCache.Ticket early = cache.beforeRead(KEY);
        cache.invalidated(KEY);
        NearCache.Ticket late = cache.beforeRead(KEY);
        cache.afterRead(KEY, early, copy(1));
        assertNull(cache.lookup(KEY), "the early read may have found what the change replaced");
        cache.afterRead(KEY, late, copy(2));
        assertEquals(2, cache.lookup(KEY).version());
    }

    @Test
    void aSecondTellingAfterThisProcesssOwnDropsTheCopy() {
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        cache.afterWrite(KEY, ticket, becomes(2));
        stored.put(KEY, 2L);
        cache.invalidated(KEY); // its own
        cache.invalidated(KEY); // another writer's
        assertEquals(0, cache.size());
        assertNull(cache.lookup(KEY));
    }

    @Test
    void aReadOverTakenByATellingKeepsNothing() {
        NearCache.Ticket ticket = cache.beforeRead(KEY);
        cache.invalidated(KEY);
        cache.afterRead(KEY, ticket, copy(1));
        assertNull(cache.lookup(KEY));
    }

    @Test
    void aReadThatFoundNothingOrNoExpiryKeepsNothing() {
        cache.afterRead(KEY, cache.beforeRead(KEY), null);
        assertNull(cache.lookup(KEY));
        assertEquals(0, cache.size(), "the slot is gone");
        cache.afterRead(KEY, cache.beforeRead(KEY), new NearCache.Copy(new byte[0], 1, null));
        assertNull(cache.lookup(KEY));
        assertEquals(0, cache.size());
    }

    @Test
    void aReadDuringThisProcesssWriteKeepsNothing() {
        NearCache.Ticket read = cache.beforeRead(KEY);
        NearCache.Ticket write = cache.beforeWrite(KEY);
        cache.afterRead(KEY, read, copy(1));
        assertNull(cache.lookup(KEY), "the read may have come before or after the write");
        cache.afterWrite(KEY, write, becomes(2));
        assertEquals(2, cache.lookup(KEY).version());
    }

    @Test
    void aReadDoesNotReplaceACopyAlreadyThere() {
        read(1);
        cache.invalidated(KEY); // gone, and read again by two requests at once
        NearCache.Ticket first = cache.beforeRead(KEY);
        NearCache.Ticket second = cache.beforeRead(KEY);
        cache.afterRead(KEY, first, copy(2));
        cache.afterRead(KEY, second, copy(3));
        assertEquals(2, cache.lookup(KEY).version());
    }

    @Test
    void aReadWithoutTicketKeepsNothing() {
        cache.lost();
        assertNull(cache.beforeRead(KEY), "no ticket while the feed is down");
        cache.afterRead(KEY, null, copy(1));
        cache.live();
        assertNull(cache.lookup(KEY));
    }

    @Test
    void readsBeforeTheFeedWasLiveAgainKeepNothing() {
        NearCache.Ticket ticket = cache.beforeRead(KEY);
        cache.lost();
        cache.live();
        cache.afterRead(KEY, ticket, copy(1));
        assertNull(cache.lookup(KEY), "the read may have missed a change no one told");
        NearCache.Ticket write = cache.beforeWrite(KEY);
        cache.lost();
        cache.live();
        cache.afterWrite(KEY, write, becomes(2));
        assertNull(cache.lookup(KEY));
    }

    @Test
    void withoutTicketNothingChanges() {
        read(1);
        cache.afterRead(KEY, null, copy(2));
        cache.afterWrite(KEY, null, becomes(3));
        assertEquals(1, cache.lookup(KEY).version(), "a read or write made while the feed was down keeps nothing");
    }

    @Test
    void aWriteFromBeforeAFlushKeepsNothingInTheSlotReadSince() {
        NearCache.Ticket write = cache.beforeWrite(KEY);
        cache.invalidatedAll();
        cache.beforeRead(KEY);
        cache.afterWrite(KEY, write, becomes(2));
        assertEquals(0, cache.size(), "the write's outcome belongs to the flushed epoch");
    }

    @Test
    void aTellingWithNoWriteOfThisProcessPendingDropsTheCopy() {
        read(1);
        cache.invalidated(KEY);
        assertNull(cache.lookup(KEY));
        assertEquals(0, cache.size());
        assertTrue(asked.isEmpty(), "nothing to confirm");
    }

    @Test
    void aWriteAloneIsTrustedAtOnceAndConfirmedAfterItsTelling() {
        read(1);
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        stored.put(KEY, 2L);
        cache.afterWrite(KEY, ticket, becomes(2));
        assertEquals(2, cache.lookup(KEY).version(), "served while its telling is on its way");

        cache.invalidated(KEY); // its own telling, maybe with another writer's told at the same moment
        awaitAsked(1);
        assertEquals(List.of(KEY), asked.get(0));
        awaitServed(2);
    }

    @Test
    void copiesToConfirmWithinTheGatheringAreConfirmedInOneRoundTrip() throws InterruptedException {
        cache.close();
        cache = new NearCache(new NearCacheSize(100, false), new Versions(), clock, Duration.ofSeconds(2));
        cache.watch(new Subscription());
        cache.live();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = "session:" + i;
            keys.add(key);
            NearCache.Ticket ticket = cache.beforeWrite(key);
            stored.put(key, 2L);
            cache.afterWrite(key, ticket, becomes(2));
            cache.invalidated(key);
            Thread.sleep(20); // longer than the verifier takes to wake: without gathering it would ask now
        }
        awaitAsked(1);
        assertEquals(List.of(keys), asked, "one round trip for the five writes' copies");
        keys.forEach(key -> assertEquals(2, cache.lookup(key).version(), key + " confirmed"));
    }

    @Test
    void aCopyTheStoreNoLongerHoldsIsDropped() {
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        cache.afterWrite(KEY, ticket, becomes(2));
        stored.put(KEY, 3L); // another writer, told in the same message as this process's write
        cache.invalidated(KEY);
        awaitAsked(1);
        assertNull(cache.lookup(KEY));
        assertEquals(0, cache.size());
    }

    @Test
    void aTellingThatOvertakesTheWritersBookkeepingIsConfirmed() {
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        stored.put(KEY, 2L);
        cache.invalidated(KEY);
        assertTrue(asked.isEmpty(), "the write is under way: its end asks");
        cache.afterWrite(KEY, ticket, becomes(2));
        awaitAsked(1);
        awaitServed(2);
    }

    @Test
    void twoWritesOfThisProcessAtOnceAreConfirmedNotTrusted() {
        NearCache.Ticket first = cache.beforeWrite(KEY);
        NearCache.Ticket second = cache.beforeWrite(KEY);
        stored.put(KEY, 2L);
        cache.afterWrite(KEY, second, becomes(2));
        assertNull(cache.lookup(KEY), "the other write's copy could land after this one");
        cache.afterWrite(KEY, first, becomes(1));
        assertNull(cache.lookup(KEY));
        awaitAsked(1);
        assertNull(cache.lookup(KEY), "the store holds the other copy");
    }

    @Test
    void aWriteWhileAnotherIsStillToBeToldIsConfirmed() {
        NearCache.Ticket first = cache.beforeWrite(KEY);
        cache.afterWrite(KEY, first, becomes(1));
        NearCache.Ticket second = cache.beforeWrite(KEY); // the first's telling has not come
        stored.put(KEY, 2L);
        cache.afterWrite(KEY, second, becomes(2));
        awaitAsked(1);
        awaitServed(2);
    }

    @Test
    void aWriteThatForgetsTheEntryLeavesNothing() {
        read(1);
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        cache.afterWrite(KEY, ticket, before -> null);
        assertNull(cache.lookup(KEY));
        assertEquals(0, cache.size());
        cache.afterWrite(KEY, null, becomes(2)); // without a ticket: the feed was down
        assertNull(cache.lookup(KEY));
    }

    @Test
    void aFailedWriteForgetsTheEntry() {
        read(1);
        cache.beforeWrite(KEY);
        cache.afterFailedWrite(KEY);
        assertNull(cache.lookup(KEY));
        assertEquals(0, cache.size());
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        cache.afterWrite(KEY, ticket, becomes(2));
        assertEquals(2, cache.lookup(KEY).version(), "nothing is left pending by the failed write");
    }

    @Test
    void aWriteWhileTheFeedIsDownForgetsTheEntry() {
        read(1);
        cache.lost();
        assertNull(cache.beforeWrite(KEY));
        cache.live();
        assertEquals(0, cache.size());
    }

    @Test
    void aConfirmationTheStoreCannotGiveForgetsTheCopy() {
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        cache.afterWrite(KEY, ticket, becomes(2));
        versionsFailure = new IllegalStateException("store down");
        cache.invalidated(KEY);
        awaitAsked(1);
        assertEquals(0, cache.size());
    }

    @Test
    void aTrustedCopyNeedsNoConfirmation() {
        NearCache.Ticket ticket = cache.beforeWrite(KEY);
        cache.afterWrite(KEY, ticket, becomes(2));
        cache.verify(List.of(KEY, "session:other"));
        assertTrue(asked.isEmpty(), "nothing to ask: " + asked);
        assertEquals(2, cache.lookup(KEY).version());
    }

    @Test
    void aFlushAndALostFeedEmptyTheCache() {
        read(1);
        cache.invalidatedAll();
        assertEquals(0, cache.size());
        assertNull(cache.lookup(KEY));
        read(2);
        assertEquals(2, cache.lookup(KEY).version(), "still live after a flush");
        NearCache.Ticket ticket = cache.beforeRead(KEY);
        cache.invalidatedAll();
        cache.afterRead(KEY, ticket, copy(3));
        assertNull(cache.lookup(KEY), "a read from before the flush keeps nothing");

        read(4);
        cache.lost();
        assertEquals(0, cache.size());
        assertNull(cache.lookup(KEY));
        cache.live();
        assertNull(cache.lookup(KEY));
    }

    @Test
    void nothingIsServedWhileTheFeedHasSomethingToTell() {
        read(1);
        caughtUp = false;
        assertNull(cache.lookup(KEY));
        caughtUp = true;
        assertEquals(1, cache.lookup(KEY).version());
    }

    @Test
    void aReadWaitsForTheFeedToCatchUpRatherThanAskTheStore() {
        read(1);
        caughtUp = false;
        catchesUpWhileWaiting = true;
        assertEquals(1, cache.lookup(KEY).version());
        assertEquals(NearCache.CATCH_UP_PATIENCE, patiences.get(patiences.size() - 1));
    }

    @Test
    void aBoundInBytesCountsTheKeysToo() {
        cache.close();
        cache = new NearCache(new NearCacheSize(8192, true), new Versions(), clock);
        cache.watch(new Subscription());
        cache.live();
        for (int i = 0; i < 20; i++) {
            // Two bytes a character: each slot weighs over 2,000 bytes for a 1-byte copy.
            String key = "session:" + "k".repeat(1000) + i;
            cache.afterRead(key, cache.beforeRead(key), copy(i));
        }
        assertTrue(cache.size() <= 4, cache.size() + " slots kept in 8 KiB");
    }

    @Test
    void anExpiredCopyIsDropped() {
        read(1);
        clock.advance(Duration.ofHours(1));
        assertNull(cache.lookup(KEY));
        assertEquals(0, cache.size());
    }

    @Test
    void theConfirmingThreadIsADaemonAndEndsWithTheCache() throws InterruptedException {
        List<Thread> before = new ArrayList<>(Thread.getAllStackTraces().keySet());
        NearCache other = new NearCache(new NearCacheSize(10, false), new Versions(), clock);
        Thread verifier = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("sessionkit-near-cache-verifier") && !before.contains(thread))
                .findFirst().orElseThrow();
        assertTrue(verifier.isDaemon(), "it must not keep an application's JVM alive");
        other.watch(new Subscription());
        other.live();
        other.beforeRead(KEY);
        other.close();
        assertEquals(0, other.size(), "closing empties it");
        assertNull(other.lookup(KEY));
        verifier.join(5000);
        assertFalse(verifier.isAlive(), "the verifier ended with the cache");
    }

    /** The store's versions, as the test sets them. */
    private final class Versions implements InvalidationFeed {
        @Override
        public Subscription subscribe(String keyPrefix, InvalidationListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long versionOf(byte[] value) {
            return value[0];
        }

        @Override
        public List<Long> currentVersions(List<String> keys) {
            asked.add(List.copyOf(keys));
            RuntimeException failure = versionsFailure;
            if (failure != null) {
                throw failure;
            }
            List<Long> versions = new ArrayList<>();
            keys.forEach(key -> versions.add(stored.get(key)));
            return versions;
        }
    }

    private final class Subscription implements InvalidationFeed.Subscription {
        @Override
        public boolean caughtUp() {
            return caughtUp;
        }

        /** Catches up while waiting when {@link #catchesUpWhileWaiting} says so. */
        @Override
        public boolean awaitCaughtUp(Duration patience) {
            patiences.add(patience);
            if (!caughtUp && catchesUpWhileWaiting) {
                caughtUp = true;
            }
            return caughtUp;
        }

        @Override
        public void close() {
        }
    }
}
