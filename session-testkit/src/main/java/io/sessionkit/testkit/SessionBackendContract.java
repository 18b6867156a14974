package io.sessionkit.testkit;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.Session;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryNotifications;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.InvalidationListener;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.SessionPage;
import io.sessionkit.SessionSummary;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.VersionedEntry;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import io.sessionkit.spi.TouchingLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link SessionBackend} must show, as a JUnit 5 test class to extend.
 * A backend, ours or a third party's, proves itself with a subclass of a few lines:
 * <pre>{@code
 * class MyBackendContractTest extends SessionBackendContract {
 *     protected String type() { return "mybackend"; }
 *     protected void configure(SessionConfig.Builder config) {
 *         config.set("SESSION_MYBACKEND_URL", server.url());
 *     }
 * }
 * }</pre>
 * Each test gets a fresh backend created through {@link java.util.ServiceLoader} by its
 * type, exactly as an application gets it, with a {@link MutableClock} as its clock and a
 * key prefix of its own.
 *
 * <h2>Time</h2>
 * Backends that check expiry themselves must read the time from {@link SessionConfig#clock()};
 * the expiry tests then move the clock instead of sleeping. Backends whose server expires
 * entries by its own clock (Redis, memcached) return {@code true} from
 * {@link #expiresByServerClock()}; their expiry tests wait real time. Such a backend must keep
 * an entry at least its time to live from the moment the call that set it began, and may keep
 * it a little longer. A real-time check counts only when the machine kept to the schedule: when
 * a call returns too late to prove anything (a loaded machine, a long pause), the test runs
 * again with twice the time to live, up to five times, before it fails; an assertion that could
 * be decided is never retried.
 *
 * <h2>Optional capabilities</h2>
 * Capabilities are looked up with {@link SessionBackend#capability(Class)}. The tests of a
 * capability the backend does not offer ({@link TouchingLoad}, {@link ExpiredSessionCleanup},
 * {@link ExpiryReportingLoad}, {@link ExpiryNotifications}, {@link ConditionalWrites},
 * {@link SessionLocks})
 * are reported as skipped, never as passed. The clean-up tests move the clock a year or more
 * past {@link #START}, to a moment of their own, and first clear what has expired there, so that
 * the counts they check are their own entries'.
 *
 * <h2>Closing</h2>
 * The contract demands of every backend that after {@link SessionBackend#close()} each
 * operation, those of its capabilities included, fails at once with a
 * {@link SessionBackendException} naming the backend's type; that {@code close()} may be called
 * again; and that the data stays stored for other backends. Whether the client's connections
 * and threads are released cannot be seen from here and is for the backend's own tests.
 */
@ExtendWith(CapabilitySkips.class)
public abstract class SessionBackendContract {

    /** Where {@link #clock} starts for each test. */
    protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    /** The clock handed to the backend through {@link SessionConfig#clock()}. */
    protected final MutableClock clock = new MutableClock(START);

    private SessionBackend backend;
    private String keyPrefix;

    /**
     * @return the {@code SESSION_TYPE} under which the backend's provider registers
     */
    protected abstract String type();

    /**
     * Adds the backend's own keys (server address, table, ...) or client object. The builder
     * already holds {@code SESSION_TYPE}, a unique {@code SESSION_KEY_PREFIX} and the clock.
     *
     * @param config the builder to add to
     */
    protected abstract void configure(SessionConfig.Builder config);

    /**
     * @return {@code true} when the backend's server expires entries by its own clock, so the
     *         expiry tests must wait real time instead of moving {@link #clock}
     */
    protected boolean expiresByServerClock() {
        return false;
    }

    /**
     * @return the time to live used by expiry tests of a backend that
     *         {@linkplain #expiresByServerClock() expires by its server's clock}, on their first
     *         attempt (later attempts double it); default 1 s
     */
    protected Duration serverClockTimeToLive() {
        return Duration.ofSeconds(1);
    }

    /**
     * @return the size of the large-payload test's value; default 512 KiB
     */
    protected int largePayloadSize() {
        return 512 * 1024;
    }

    /**
     * @return the backend under test, created for this test
     */
    protected final SessionBackend backend() {
        return backend;
    }

    /**
     * @return a fresh key as the engine would build it: the test's prefix and a random id
     */
    protected final String newKey() {
        byte[] id = new byte[32];
        ThreadLocalRandom.current().nextBytes(id);
        return keyPrefix + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /**
     * @return a configuration builder as the tests use it: type, unique prefix, clock and the
     *         backend's own keys
     */
    protected final SessionConfig.Builder configBuilder() {
        SessionConfig.Builder config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, type())
                .set(ConfigKeys.SESSION_KEY_PREFIX, keyPrefix)
                .clock(clock);
        configure(config);
        return config;
    }

    /**
     * @return a new backend from {@link #configBuilder()}, created through the registry
     */
    protected final SessionBackend createBackend() {
        return BackendRegistry.load().create(configBuilder().build());
    }

    @BeforeEach
    void createBackendForTest() {
        keyPrefix = "contract-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        backend = createBackend();
    }

    @AfterEach
    void closeBackendAfterTest() {
        if (backend != null) {
            backend.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    /**
     * Runs the tasks on a thread each, started together, and returns their results in order.
     * A task's failure fails the test.
     */
    private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get(2, TimeUnit.MINUTES));
                } catch (java.util.concurrent.TimeoutException e) {
                    fail("a thread did not finish within 2 minutes");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw (Exception) e.getCause();
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits until none of {@code keys} loads any more, as an entry of a backend that expires by
     * its server's clock does some time after its time to live.
     */
    private void awaitGone(List<String> keys, Duration timeToLive) throws InterruptedException {
        long deadline = System.nanoTime() + timeToLive.multipliedBy(3).plusSeconds(5).toNanos();
        for (String key : keys) {
            while (backend.load(key) != null) {
                assertTrue(System.nanoTime() < deadline, "entry still returned long after its time to live");
                Thread.sleep(50);
            }
        }
    }


    /**
     * The backend's implementation of an optional capability; the calling test is skipped (and
     * recorded by {@link CapabilitySkips}) when the backend does not offer it.
     */
    private <C> C requireCapability(Class<C> type) {
        Optional<C> offered = backend.capability(type);
        assumeTrue(offered.isPresent(), CapabilitySkips.REASON_PREFIX + type.getSimpleName());
        return offered.get();
    }

    /**
     * Lets {@code duration} pass for the backend: moves {@link #clock}, or, for a backend that
     * expires by its server's clock, sleeps.
     */
    private void pass(Duration duration) throws InterruptedException {
        if (expiresByServerClock()) {
            Thread.sleep(duration.toMillis());
        } else {
            clock.advance(duration);
        }
    }

    /** Tries to take a lock until it is free, as a lock whose lease runs out becomes some time after. */
    private static boolean takesLockWithin(SessionLocks locks, String key, String token, Duration lease)
            throws InterruptedException {
        long deadline = System.nanoTime() + lease.multipliedBy(3).plusSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (locks.tryLock(key, token, HOUR)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Nested
    @DisplayName("load, save and delete")
    class Basics {

        @Test
        @DisplayName("an unknown key loads as null")
        void unknownKeyLoadsAsNull() {
            assertNull(backend.load(newKey()));
        }

        @Test
        @DisplayName("saved bytes load back equal")
        void savedBytesLoadBack() {
            String key = newKey();
            backend.save(key, bytes("{\"cart\":[1,2]}"), HOUR);
            assertArrayEquals(bytes("{\"cart\":[1,2]}"), backend.load(key));
        }

        @Test
        @DisplayName("a second save replaces the first")
        void saveOverwrites() {
            String key = newKey();
            backend.save(key, bytes("first"), HOUR);
            backend.save(key, bytes("second, and longer than the first"), HOUR);
            assertArrayEquals(bytes("second, and longer than the first"), backend.load(key));
            backend.save(key, bytes("3rd"), HOUR);
            assertArrayEquals(bytes("3rd"), backend.load(key));
        }

        @Test
        @DisplayName("keys are independent")
        void keysAreIndependent() {
            String a = newKey();
            String b = newKey();
            backend.save(a, bytes("a"), HOUR);
            backend.save(b, bytes("b"), HOUR);
            backend.delete(a);
            assertNull(backend.load(a));
            assertArrayEquals(bytes("b"), backend.load(b));
        }

        @Test
        @DisplayName("delete removes the entry, and deleting an absent key does nothing")
        void deleteRemoves() {
            String key = newKey();
            backend.save(key, bytes("x"), HOUR);
            backend.delete(key);
            assertNull(backend.load(key));
            assertDoesNotThrow(() -> backend.delete(key));
            assertDoesNotThrow(() -> backend.delete(newKey()));
        }

        @Test
        @DisplayName("touching an absent key does not create it")
        void touchDoesNotCreate() {
            String key = newKey();
            backend.touch(key, HOUR);
            assertNull(backend.load(key));
        }

        @Test
        @DisplayName("the saved array is not kept by reference")
        void saveCopiesOrWritesThrough() {
            String key = newKey();
            byte[] value = bytes("original");
            backend.save(key, value, HOUR);
            value[0] = 'X';
            assertArrayEquals(bytes("original"), backend.load(key));
        }
    }

    @Nested
    @DisplayName("payloads")
    class Payloads {

        @Test
        @DisplayName("every byte value survives a round trip")
        void binarySafe() {
            byte[] all = new byte[512];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            String key = newKey();
            backend.save(key, all, HOUR);
            assertArrayEquals(all, backend.load(key));
        }

        @Test
        @DisplayName("non-ASCII text survives a round trip")
        void unicodeSafe() {
            byte[] text = bytes("{\"name\":\"Zoë 🛒 корзина 購物車\"}");
            String key = newKey();
            backend.save(key, text, HOUR);
            assertArrayEquals(text, backend.load(key));
        }

        @Test
        @DisplayName("a large payload survives a round trip")
        void largePayload() {
            byte[] large = new byte[largePayloadSize()];
            ThreadLocalRandom.current().nextBytes(large);
            String key = newKey();
            backend.save(key, large, HOUR);
            assertArrayEquals(large, backend.load(key));
        }
    }

    /**
     * Time as the backend sees it while a scenario runs: the configured clock, moved by the test,
     * or real time for a backend that expires by its server's clock. Moments are nanoseconds.
     */
    private interface Timeline {

        long now();

        void waitUntil(long moment) throws InterruptedException;

        /**
         * Ends the attempt as inconclusive when the call just made returned at or after
         * {@code moment}, the last at which its outcome proves what the test checks.
         */
        default void requireBefore(long moment, String call) {
            long late = now() - moment;
            if (late >= 0) {
                throw new TooSlow(call + " returned " + TimeUnit.NANOSECONDS.toMillis(late) + " ms too late to prove anything");
            }
        }
    }

    /** An attempt the machine was too slow to decide; see {@link Expiry#runTimed}. */
    private static final class TooSlow extends RuntimeException {
        TooSlow(String message) {
            super(message, null, false, false);
        }
    }

    /** A scenario run with the time to live to use and the backend's timeline. */
    @FunctionalInterface
    private interface TimedScenario {
        void run(Duration timeToLive, Timeline time) throws InterruptedException;
    }

    @Nested
    @DisplayName("expiry")
    class Expiry {

        private static final int REAL_TIME_ATTEMPTS = 5;

        private Duration ttl() {
            return expiresByServerClock() ? serverClockTimeToLive() : HOUR;
        }

        /**
         * Runs a scenario once on the configured clock, where calls take no time. On real time a
         * check can be decided only if the calls around it returned early enough; when they did
         * not, the scenario is run again with a fresh key and twice the time to live.
         */
        private void runTimed(TimedScenario scenario) throws InterruptedException {
            if (!expiresByServerClock()) {
                scenario.run(HOUR, new Timeline() {
                    @Override
                    public long now() {
                        return Duration.between(START, clock.instant()).toNanos();
                    }

                    @Override
                    public void waitUntil(long moment) {
                        long ahead = moment - now();
                        if (ahead > 0) {
                            clock.advance(Duration.ofNanos(ahead));
                        }
                    }
                });
                return;
            }
            Timeline realTime = new Timeline() {
                @Override
                public long now() {
                    return System.nanoTime();
                }

                @Override
                public void waitUntil(long moment) throws InterruptedException {
                    for (long ahead = moment - now(); ahead > 0; ahead = moment - now()) {
                        TimeUnit.NANOSECONDS.sleep(ahead);
                    }
                }
            };
            List<String> tooSlow = new ArrayList<>();
            Duration timeToLive = serverClockTimeToLive();
            for (int attempt = 1; attempt <= REAL_TIME_ATTEMPTS; attempt++, timeToLive = timeToLive.multipliedBy(2)) {
                try {
                    scenario.run(timeToLive, realTime);
                    return;
                } catch (TooSlow e) {
                    tooSlow.add("time to live " + timeToLive.toMillis() + " ms: " + e.getMessage());
                }
            }
            fail("no attempt could be decided, the machine was too slow each time: " + tooSlow);
        }

        /**
         * Asserts that a load returned {@code expected}; a missing entry fails the test only if
         * the load returned before {@code liveUntil}, when the entry was surely still live.
         */
        private void assertLoaded(Timeline time, long liveUntil, byte[] expected, byte[] loaded, String message) {
            if (loaded == null) {
                time.requireBefore(liveUntil, "the load");
            }
            assertArrayEquals(expected, loaded, message);
        }

        private void assertExpires(String key, Duration timeToLive) throws InterruptedException {
            if (!expiresByServerClock()) {
                clock.advance(timeToLive.plusSeconds(1));
                assertNull(backend.load(key), "entry still returned after its time to live");
                return;
            }
            awaitGone(List.of(key), timeToLive);
        }

        @Test
        @DisplayName("an entry is returned within its time to live")
        void liveEntryReturned() throws InterruptedException {
            runTimed((ttl, time) -> {
                String key = newKey();
                long saved = time.now();
                backend.save(key, bytes("x"), ttl);
                time.waitUntil(saved + ttl.toNanos() / 4);
                assertLoaded(time, saved + ttl.toNanos(), bytes("x"), backend.load(key), "a live entry was not returned");
            });
        }

        @Test
        @DisplayName("an entry past its time to live is never returned")
        void expiredEntryNotReturned() throws InterruptedException {
            String key = newKey();
            backend.save(key, bytes("x"), ttl());
            assertExpires(key, ttl());
        }

        /**
         * Saves {@code "kept"} under {@code key}, lets half its time to live pass, runs
         * {@code refresh} while the entry is surely live, then loads it just after its first
         * deadline: it must hold {@code expected}, which only a refresh that set a new time to
         * live keeps.
         */
        private void assertRefreshOutlivesFirstDeadline(Timeline time, Duration ttl, String key, Runnable refresh,
                                                        byte[] expected, String message) throws InterruptedException {
            long saved = time.now();
            backend.save(key, bytes("kept"), ttl);
            long savedEnd = time.now();
            time.waitUntil(saved + ttl.toNanos() / 2);
            long refreshed = time.now();
            refresh.run();
            time.requireBefore(saved + ttl.toNanos(), "the refresh of a live entry");
            time.waitUntil(savedEnd + ttl.toNanos() + ttl.toNanos() / 20);
            assertLoaded(time, refreshed + ttl.toNanos(), expected, backend.load(key), message);
        }

        @Test
        @DisplayName("touch extends the time to live without changing the bytes")
        void touchExtends() throws InterruptedException {
            runTimed((ttl, time) -> {
                String key = newKey();
                assertRefreshOutlivesFirstDeadline(time, ttl, key, () -> backend.touch(key, ttl), bytes("kept"),
                        "touched entry expired at its first deadline");
                assertExpires(key, ttl);
            });
        }

        @Test
        @DisplayName("a save sets a new time to live")
        void saveResetsTimeToLive() throws InterruptedException {
            runTimed((ttl, time) -> {
                String key = newKey();
                assertRefreshOutlivesFirstDeadline(time, ttl, key, () -> backend.save(key, bytes("two"), ttl), bytes("two"),
                        "the second save did not set a new time to live");
            });
        }

        @Test
        @DisplayName("loadAndTouch, where offered, reads and extends in one call")
        void loadAndTouch() throws InterruptedException {
            Optional<TouchingLoad> offered = backend.capability(TouchingLoad.class);
            assumeTrue(offered.isPresent(), CapabilitySkips.REASON_PREFIX + "TouchingLoad");
            TouchingLoad touching = offered.get();
            runTimed((ttl, time) -> {
                String key = newKey();
                assertNull(touching.loadAndTouch(key, ttl), "loadAndTouch of an absent key");
                assertNull(backend.load(key), "loadAndTouch of an absent key created it");
                byte[][] read = new byte[1][];
                assertRefreshOutlivesFirstDeadline(time, ttl, key, () -> read[0] = touching.loadAndTouch(key, ttl),
                        bytes("kept"), "loadAndTouch did not extend the time to live");
                assertArrayEquals(bytes("kept"), read[0], "loadAndTouch did not return a live entry");
            });
        }
    }

    @Nested
    @DisplayName("concurrency")
    class Concurrency {

        @Test
        @DisplayName("many threads saving, loading and deleting their own keys see only their own data")
        void independentKeysFromManyThreads() throws Exception {
            int threads = 8;
            int rounds = 40;
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    String key = newKey();
                    for (int round = 0; round < rounds; round++) {
                        byte[] value = bytes("thread " + thread + " round " + round);
                        backend.save(key, value, HOUR);
                        assertArrayEquals(value, backend.load(key));
                        if (round % 10 == 9) {
                            backend.delete(key);
                            assertNull(backend.load(key));
                        }
                    }
                    return null;
                });
            }
            runConcurrently(tasks);
        }

        @Test
        @DisplayName("concurrent saves of one key leave one whole value, never a mix")
        void concurrentSavesOfOneKeyAreAtomic() throws Exception {
            String key = newKey();
            int threads = 8;
            Set<String> written = new HashSet<>();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                char fill = (char) ('a' + t);
                byte[] value = new byte[16 * 1024 + t * 1024];
                Arrays.fill(value, (byte) fill);
                written.add(new String(value, java.nio.charset.StandardCharsets.US_ASCII));
                tasks.add(() -> {
                    for (int round = 0; round < 20; round++) {
                        backend.save(key, value, HOUR);
                        byte[] seen = backend.load(key);
                        assertNotNull(seen, "a reader saw no value while another thread overwrote it");
                        assertTrue(written.contains(new String(seen, java.nio.charset.StandardCharsets.US_ASCII)),
                                "a reader saw a value no thread wrote (torn write)");
                    }
                    return null;
                });
            }
            runConcurrently(tasks);
        }
    }

    @Nested
    @DisplayName("expired-session clean-up, where offered")
    class Cleanup {

        private ExpiredSessionCleanup cleanup;

        @BeforeEach
        void requireCleanup() {
            Optional<ExpiredSessionCleanup> offered = backend.capability(ExpiredSessionCleanup.class);
            assumeTrue(offered.isPresent(), CapabilitySkips.REASON_PREFIX + "ExpiredSessionCleanup");
            cleanup = offered.get();
        }

        private Duration shortTimeToLive() {
            return expiresByServerClock() ? serverClockTimeToLive() : Duration.ofMinutes(1);
        }

        /**
         * Moves the clock to a moment of this test's own, later than every other test's entries,
         * and deletes whatever has expired by then, so that what the clean-ups below count is
         * this test's alone. Entries of a backend that expires by its server's clock may vanish by
         * themselves, so counts are only checked on the configured clock.
         */
        private void startFromNothingExpired() {
            if (!expiresByServerClock()) {
                Instant ownMoment = START.plus(Duration.ofDays(400))
                        .plus(Duration.ofMinutes(ThreadLocalRandom.current().nextInt(500_000)));
                clock.advance(Duration.between(clock.instant(), ownMoment));
                cleanup.deleteExpired();
            }
        }

        private void letExpire(List<String> keys) throws InterruptedException {
            if (expiresByServerClock()) {
                awaitGone(keys, shortTimeToLive());
            } else {
                clock.advance(shortTimeToLive().plusMinutes(1));
            }
        }

        private Map<String, byte[]> saveEntries(int count, Duration timeToLive) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = newKey();
                byte[] value = bytes("entry " + i + " of " + key);
                backend.save(key, value, timeToLive);
                entries.put(key, value);
            }
            return entries;
        }

        private void assertKeptAndGone(Map<String, byte[]> live, Map<String, byte[]> expired) {
            live.forEach((key, value) -> assertArrayEquals(value, backend.load(key), "the clean-up deleted a live entry"));
            expired.keySet().forEach(key -> assertNull(backend.load(key), "an expired entry was returned"));
        }

        @Test
        @DisplayName("deletes expired entries, keeps live ones and returns how many it deleted")
        void deletesExpiredAndKeepsLive() throws InterruptedException {
            startFromNothingExpired();
            Map<String, byte[]> expiring = saveEntries(12, shortTimeToLive());
            Map<String, byte[]> live = saveEntries(3, DAY);
            try {
                if (!expiresByServerClock()) {
                    assertEquals(0, cleanup.deleteExpired(), "deleted entries before they expired");
                }
                letExpire(List.copyOf(expiring.keySet()));
                int deleted = cleanup.deleteExpired();
                if (!expiresByServerClock()) {
                    assertEquals(expiring.size(), deleted, "how many expired entries the clean-up reported deleted");
                    assertEquals(0, cleanup.deleteExpired(), "a second clean-up found entries the first reported deleted");
                }
                assertKeptAndGone(live, expiring);
            } finally {
                live.keySet().forEach(backend::delete);
            }
        }

        @Test
        @DisplayName("is safe to call from several threads at once, each entry deleted and counted once")
        void concurrentCleanUps() throws Exception {
            startFromNothingExpired();
            Map<String, byte[]> expiring = saveEntries(60, shortTimeToLive());
            Map<String, byte[]> live = saveEntries(5, DAY);
            try {
                letExpire(List.copyOf(expiring.keySet()));
                List<Callable<Integer>> tasks = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    tasks.add(cleanup::deleteExpired);
                }
                int deleted = runConcurrently(tasks).stream().mapToInt(Integer::intValue).sum();
                if (!expiresByServerClock()) {
                    assertEquals(expiring.size(), deleted, "expired entries reported deleted by all concurrent clean-ups together");
                }
                assertKeptAndGone(live, expiring);
            } finally {
                live.keySet().forEach(backend::delete);
            }
        }

        @Test
        @DisplayName("an expired entry it deleted loads as null, is not revived by touch, and its key can be saved again")
        void deletedKeyStaysDeleted() throws InterruptedException {
            startFromNothingExpired();
            String key = newKey();
            backend.save(key, bytes("old"), shortTimeToLive());
            letExpire(List.of(key));
            cleanup.deleteExpired();
            assertNull(backend.load(key));
            backend.touch(key, HOUR);
            assertNull(backend.load(key), "touch revived a deleted entry");
            backend.capability(TouchingLoad.class).ifPresent(touching ->
                    assertNull(touching.loadAndTouch(key, HOUR), "loadAndTouch revived a deleted entry"));
            backend.save(key, bytes("new"), HOUR);
            assertArrayEquals(bytes("new"), backend.load(key));
            backend.delete(key);
        }
    }

    @Nested
    @DisplayName("life cycle and discovery")
    class LifeCycle {

        @Test
        @DisplayName("the provider is found through ServiceLoader by its type")
        void providerDiscoverable() {
            List<SessionBackendProvider> found = ServiceLoader.load(SessionBackendProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(provider -> provider.type().equals(type()))
                    .toList();
            assertEquals(1, found.size(), "providers registered for type '" + type() + "': " + found);
            assertEquals(type(), BackendRegistry.load().provider(type()).type());
        }

        @Test
        @DisplayName("the provider has a public no-argument constructor")
        void providerHasNoArgConstructor() throws ReflectiveOperationException {
            Class<? extends SessionBackendProvider> providerClass = BackendRegistry.load().provider(type()).getClass();
            assertTrue(java.lang.reflect.Modifier.isPublic(providerClass.getModifiers()), providerClass + " is not public");
            assertEquals(type(), providerClass.getConstructor().newInstance().type());
        }

        @Test
        @DisplayName("after close every operation fails as a SessionBackendException, close may be called again, and the data stays")
        void closeReleasesTheBackend() {
            SessionBackend other = createBackend();
            String key = newKey();
            other.save(key, bytes("x"), HOUR);
            Optional<TouchingLoad> touching = other.capability(TouchingLoad.class);
            Optional<ExpiredSessionCleanup> cleanup = other.capability(ExpiredSessionCleanup.class);
            Optional<ExpiryReportingLoad> reporting = other.capability(ExpiryReportingLoad.class);
            Optional<PrincipalIndex> principals = other.capability(PrincipalIndex.class);
            Optional<SessionListing> listing = other.capability(SessionListing.class);
            other.close();
            assertDoesNotThrow(other::close, "a second close");

            assertFailsClosed("load", () -> other.load(key));
            assertFailsClosed("save", () -> {
                other.save(newKey(), bytes("y"), HOUR);
                return null;
            });
            assertFailsClosed("touch", () -> {
                other.touch(key, HOUR);
                return null;
            });
            assertFailsClosed("delete", () -> {
                other.delete(key);
                return null;
            });
            touching.ifPresent(capability -> assertFailsClosed("loadAndTouch", () -> capability.loadAndTouch(key, HOUR)));
            cleanup.ifPresent(capability -> assertFailsClosed("deleteExpired", capability::deleteExpired));
            reporting.ifPresent(capability -> assertFailsClosed("loadWithExpiry", () -> capability.loadWithExpiry(key)));
            principals.ifPresent(capability -> {
                assertFailsClosed("entriesOf", () -> capability.entriesOf("alice"));
                assertFailsClosed("assign", () -> {
                    capability.assign(key, null, "alice", HOUR);
                    return null;
                });
            });
            listing.ifPresent(capability -> {
                assertFailsClosed("count", () -> capability.count(keyPrefix));
                assertFailsClosed("list", () -> capability.list(keyPrefix, null, 10));
            });
            assertArrayEquals(bytes("x"), backend.load(key), "data saved before close is still stored");
        }

        private void assertFailsClosed(String operation, Supplier<?> call) {
            SessionBackendException error = assertThrows(SessionBackendException.class, call::get,
                    operation + " on a closed backend did not fail as a SessionBackendException");
            assertEquals(type(), error.backendType(), operation + " on a closed backend: the error's backend type");
        }

        /** A capability that no backend can have. */
        private interface UnknownCapability {
        }

        @Test
        @DisplayName("a capability the backend does not know is not handed out")
        void unknownCapabilityIsAbsent() {
            assertEquals(Optional.empty(), backend.capability(UnknownCapability.class));
        }

        @Test
        @DisplayName("a second backend on the same configuration sees the first one's data")
        void dataIsShared() {
            String key = newKey();
            backend.save(key, bytes("shared"), HOUR);
            try (SessionBackend other = createBackend()) {
                assertArrayEquals(bytes("shared"), other.load(key));
            }
        }
    }
    @Nested
    @DisplayName("reads that report expiry (optional capability ExpiryReportingLoad)")
    class ExpiryReportingSection {

        /**
         * How far a reported expiry may be from the one the test set: stores keep whole seconds
         * (DynamoDB's TTL attribute) or count the time to live on their own clock (Redis).
         */
        private static final Duration TOLERANCE = Duration.ofSeconds(2);

        private ExpiryReportingLoad reporting;

        @BeforeEach
        void offeredByTheBackend() {
            reporting = requireCapability(ExpiryReportingLoad.class);
        }

        private void assertExpiresAbout(Instant expected, VersionedEntry entry, String message) {
            assertNotNull(entry, message + ": the entry was not returned");
            assertNotNull(entry.expiresAt(), message + ": no expiry reported");
            Duration off = Duration.between(expected, entry.expiresAt()).abs();
            assertTrue(off.compareTo(TOLERANCE) <= 0, message + ": expected about " + expected + ", reported "
                    + entry.expiresAt());
        }

        @Test
        @DisplayName("an absent key gives null, and the read creates nothing")
        void absentKey() {
            String key = newKey();
            assertNull(reporting.loadWithExpiry(key));
            assertNull(backend().load(key));
        }

        @Test
        @DisplayName("a saved entry is returned with its bytes and the expiry its time to live set")
        void reportsTheExpiryOfASave() {
            String key = newKey();
            backend().save(key, bytes("x"), HOUR);
            VersionedEntry entry = reporting.loadWithExpiry(key);
            assertExpiresAbout(clock.instant().plus(HOUR), entry, "after a save for an hour");
            assertArrayEquals(bytes("x"), entry.value());
        }

        @Test
        @DisplayName("a touch moves the reported expiry, and a read does not")
        void touchMovesTheExpiryAndReadsDoNot() {
            String key = newKey();
            backend().save(key, bytes("x"), HOUR);
            backend().touch(key, DAY);
            Instant touchedUntil = clock.instant().plus(DAY);
            assertExpiresAbout(touchedUntil, reporting.loadWithExpiry(key), "after a touch for a day");
            assertExpiresAbout(touchedUntil, reporting.loadWithExpiry(key), "after a second read");
        }

        @Test
        @DisplayName("with conditional writes, the version is the one a conditional replace expects")
        void versionMatchesConditionalWrites() {
            Optional<ConditionalWrites> writes = backend().capability(ConditionalWrites.class);
            String key = newKey();
            backend().save(key, bytes("one"), HOUR);
            VersionedEntry entry = reporting.loadWithExpiry(key);
            if (writes.isEmpty()) {
                assertEquals(0, entry.version(), "a backend without conditional writes reports version 0");
                return;
            }
            assertEquals(writes.get().loadVersioned(key).version(), entry.version());
            assertTrue(writes.get().replace(key, entry.version(), bytes("two"), DAY), "replace with the reported version");
            assertExpiresAbout(clock.instant().plus(DAY), reporting.loadWithExpiry(key), "after a conditional replace");
        }

        @Test
        @DisplayName("an expired entry is not returned")
        void expiredEntryIsNotReturned() throws InterruptedException {
            String key = newKey();
            Duration ttl = expiresByServerClock() ? serverClockTimeToLive() : HOUR;
            backend().save(key, bytes("x"), ttl);
            pass(ttl.plusSeconds(1));
            long deadline = System.nanoTime() + ttl.multipliedBy(3).plusSeconds(5).toNanos();
            while (reporting.loadWithExpiry(key) != null) {
                assertTrue(expiresByServerClock() && System.nanoTime() < deadline, "an expired entry was returned");
                Thread.sleep(50);
            }
        }
    }

    @Nested
    @DisplayName("telling changes (optional capability InvalidationFeed)")
    class InvalidationFeedSection {

        /** How long a telling may take to arrive; it is usually a matter of microseconds. */
        private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

        private InvalidationFeed feed;
        private final Heard heard = new Heard();
        private InvalidationFeed.Subscription subscription;

        @BeforeEach
        void subscribed() throws InterruptedException {
            feed = requireCapability(InvalidationFeed.class);
            assertTrue(backend().capability(ConditionalWrites.class).isPresent(),
                    "a backend that tells changes must offer ConditionalWrites");
            assertTrue(backend().capability(ExpiryReportingLoad.class).isPresent(),
                    "a backend that tells changes must offer ExpiryReportingLoad");
            subscription = feed.subscribe(keyPrefix, heard);
            heard.await(() -> heard.live > 0, "the feed never said it was live");
        }

        @AfterEach
        void unsubscribed() {
            if (subscription != null) {
                subscription.close();
            }
        }

        /** Makes a change through another instance of the backend, as another node would. */
        private void throughAnotherNode(java.util.function.Consumer<SessionBackend> change) {
            try (SessionBackend other = createBackend()) {
                change.accept(other);
            }
        }

        @Test
        @DisplayName("every kind of change of an entry under the prefix is told, by whoever made it")
        void everyChangeIsTold() throws InterruptedException {
            String key = newKey();
            backend().save(key, bytes("one"), HOUR);
            heard.awaitTold(key);
            throughAnotherNode(other -> other.save(key, bytes("two"), HOUR));
            heard.awaitTold(key);
            backend().touch(key, DAY);
            heard.awaitTold(key);
            ConditionalWrites writes = backend().capability(ConditionalWrites.class).orElseThrow();
            assertTrue(writes.replace(key, writes.loadVersioned(key).version(), bytes("three"), HOUR));
            heard.awaitTold(key);
            throughAnotherNode(other -> other.delete(key));
            heard.awaitTold(key);
            String created = newKey();
            assertTrue(writes.create(created, bytes("new"), HOUR));
            heard.awaitTold(created);
        }

        @Test
        @DisplayName("reads tell nothing, and neither do changes of keys outside the prefix")
        void readsAndOtherKeysAreNotTold() throws InterruptedException {
            String key = newKey();
            backend().save(key, bytes("one"), HOUR);
            heard.awaitTold(key);
            String outside = "not-" + keyPrefix + "x";
            backend().save(outside, bytes("x"), HOUR);
            backend().load(key);
            backend().capability(ExpiryReportingLoad.class).orElseThrow().loadWithExpiry(key);
            String marker = newKey();
            backend().save(marker, bytes("m"), HOUR);
            heard.awaitTold(marker); // tellings arrive in order: what came before the marker has come
            assertFalse(heard.told.contains(key), "a read was told as a change: " + heard.told);
            assertFalse(heard.told.contains(outside), "a key outside the prefix was told");
            backend().delete(outside);
        }

        @Test
        @DisplayName("versionOf gives the version the store reports for those bytes, and currentVersions reads them")
        void versionsAreTheConditionalWritesVersions() {
            ConditionalWrites writes = backend().capability(ConditionalWrites.class).orElseThrow();
            String key = newKey();
            String absent = newKey();
            backend().save(key, bytes("one"), HOUR);
            long version = writes.loadVersioned(key).version();
            assertEquals(version, feed.versionOf(bytes("one")));
            assertEquals(java.util.Arrays.asList(version, null), feed.currentVersions(List.of(key, absent)));
            assertTrue(writes.replace(key, version, bytes("two"), HOUR));
            assertEquals(feed.versionOf(bytes("two")), writes.loadVersioned(key).version());
            assertEquals(List.of(feed.versionOf(bytes("two"))), feed.currentVersions(List.of(key)));
        }

        @Test
        @DisplayName("once everything received is told the feed is caught up")
        void caughtUpOnceTold() throws InterruptedException {
            String key = newKey();
            backend().save(key, bytes("one"), HOUR);
            heard.awaitTold(key);
            heard.await(subscription::caughtUp, "never caught up after the telling");
        }

        @Test
        @DisplayName("awaiting catch-up answers true once everything received is told, false once closed")
        void awaitingCatchUp() throws InterruptedException {
            String key = newKey();
            backend().save(key, bytes("one"), HOUR);
            heard.awaitTold(key);
            assertTrue(subscription.awaitCaughtUp(Duration.ofNanos(WAIT_NANOS)), "not caught up after the telling");
            InvalidationFeed.Subscription closed = subscription;
            subscription = null;
            closed.close();
            assertFalse(closed.awaitCaughtUp(Duration.ofMillis(50)), "caught up after closing");
        }

        @Test
        @DisplayName("closing the subscription says lost, and tells nothing more")
        void closingSaysLost() throws InterruptedException {
            subscription.close();
            subscription = null;
            heard.await(() -> heard.lost > 0, "closing did not say lost");
            String key = newKey();
            backend().save(key, bytes("one"), HOUR);
            Thread.sleep(200);
            assertFalse(heard.told.contains(key), "told after the subscription was closed");
        }
    }

    /** What an {@link InvalidationListener} heard. */
    private static final class Heard implements InvalidationListener {
        final java.util.Queue<String> told = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile int live;
        volatile int lost;

        @Override
        public void invalidated(String key) {
            told.add(key);
        }

        @Override
        public void invalidatedAll() {
            told.add("*");
        }

        @Override
        public synchronized void live() {
            live++;
        }

        @Override
        public synchronized void lost() {
            lost++;
        }

        void awaitTold(String key) throws InterruptedException {
            await(() -> told.remove(key), "the change of " + key + " was not told; heard " + told);
        }

        void await(java.util.function.BooleanSupplier condition, String failure) throws InterruptedException {
            long deadline = System.nanoTime() + InvalidationFeedSection.WAIT_NANOS;
            while (!condition.getAsBoolean()) {
                assertTrue(System.nanoTime() < deadline, failure);
                Thread.sleep(2);
            }
        }
    }

    @Nested
    @DisplayName("expiry notifications (optional capability ExpiryNotifications)")
    class ExpiryNotificationsSection {

        @Test
        @DisplayName("an entry that expires is told once, by its key; a live one is not")
        void expiredEntryIsTold() throws InterruptedException {
            ExpiryNotifications notifications = requireCapability(ExpiryNotifications.class);
            java.util.Queue<String> told = new java.util.concurrent.ConcurrentLinkedQueue<>();
            notifications.reportExpiredTo(told::add);
            Duration ttl = expiresByServerClock() ? serverClockTimeToLive() : HOUR;
            String expiring = newKey();
            String live = newKey();
            backend().save(expiring, bytes("x"), ttl);
            backend().save(live, bytes("y"), ttl.plus(DAY));
            pass(ttl.plusSeconds(1));
            long deadline = System.nanoTime() + ttl.multipliedBy(3).plusSeconds(10).toNanos();
            while (!told.contains(expiring)) {
                // A clean-up deletes what expired, and a read makes a server notice it: either tells.
                backend().capability(ExpiredSessionCleanup.class).ifPresent(ExpiredSessionCleanup::deleteExpired);
                assertNull(backend().load(expiring), "an expired entry was returned");
                assertTrue(System.nanoTime() < deadline, "the expiry was not told: " + told);
                Thread.sleep(50);
            }
            backend().capability(ExpiredSessionCleanup.class).ifPresent(ExpiredSessionCleanup::deleteExpired);
            assertEquals(1, told.stream().filter(expiring::equals).count(), "told more than once: " + told);
            assertFalse(told.contains(live), "a live entry was told as expired");
        }
    }

    @Nested
    @DisplayName("conditional writes (optional capability ConditionalWrites)")
    class ConditionalWritesSection {

        private ConditionalWrites writes;

        @BeforeEach
        void offeredByTheBackend() {
            writes = requireCapability(ConditionalWrites.class);
        }

        @Test
        @DisplayName("create writes only when the key is free; a second create is refused")
        void createOnlyIfAbsent() {
            String key = newKey();
            assertTrue(writes.create(key, bytes("first"), HOUR));
            assertFalse(writes.create(key, bytes("second"), HOUR));
            assertArrayEquals(bytes("first"), backend().load(key));
        }

        @Test
        @DisplayName("loadVersioned returns the bytes and a version; absent keys give null")
        void loadVersioned() {
            String key = newKey();
            assertNull(writes.loadVersioned(key));
            assertNull(writes.loadVersionedAndTouch(key, HOUR));
            backend().save(key, bytes("v1"), HOUR);
            VersionedEntry entry = writes.loadVersioned(key);
            assertArrayEquals(bytes("v1"), entry.value());
            assertEquals(entry.version(), writes.loadVersioned(key).version(), "reading does not change the version");
        }

        @Test
        @DisplayName("replace succeeds with the version read and refuses a stale one")
        void replaceRefusesAStaleVersion() {
            String key = newKey();
            assertTrue(writes.create(key, bytes("v1"), HOUR));
            VersionedEntry first = writes.loadVersioned(key);
            assertTrue(writes.replace(key, first.version(), bytes("v2"), HOUR));
            assertFalse(writes.replace(key, first.version(), bytes("v3"), HOUR), "the version read before v2 is stale");
            assertArrayEquals(bytes("v2"), backend().load(key));
            VersionedEntry second = writes.loadVersioned(key);
            assertNotEquals(first.version(), second.version(), "a write changes the version");
            assertTrue(writes.replace(key, second.version(), bytes("v3"), HOUR));
            assertArrayEquals(bytes("v3"), backend().load(key));
        }

        @Test
        @DisplayName("a blind save changes the version too")
        void blindSaveChangesTheVersion() {
            String key = newKey();
            backend().save(key, bytes("v1"), HOUR);
            VersionedEntry read = writes.loadVersioned(key);
            backend().save(key, bytes("v2"), HOUR);
            assertFalse(writes.replace(key, read.version(), bytes("v3"), HOUR));
            assertArrayEquals(bytes("v2"), backend().load(key));
        }

        @Test
        @DisplayName("touching does not change the version; loadVersionedAndTouch extends the life")
        void touchKeepsTheVersion() throws InterruptedException {
            String key = newKey();
            Duration ttl = expiresByServerClock() ? serverClockTimeToLive() : Duration.ofSeconds(10);
            backend().save(key, bytes("v1"), ttl);
            VersionedEntry read = writes.loadVersionedAndTouch(key, HOUR);
            assertArrayEquals(bytes("v1"), read.value());
            backend().touch(key, HOUR);
            pass(ttl.plusMillis(200));
            VersionedEntry later = writes.loadVersioned(key);
            assertNotNull(later, "loadVersionedAndTouch extended the life");
            assertTrue(writes.replace(key, read.version(), bytes("v2"), HOUR), "neither touch changed the version");
        }

        @Test
        @DisplayName("replace and delete of a deleted entry are refused and do not recreate it")
        void noResurrection() {
            String key = newKey();
            assertTrue(writes.create(key, bytes("v1"), HOUR));
            VersionedEntry read = writes.loadVersioned(key);
            backend().delete(key);
            assertFalse(writes.replace(key, read.version(), bytes("v2"), HOUR));
            assertFalse(writes.delete(key, read.version()));
            assertNull(backend().load(key), "nothing was recreated");
        }

        @Test
        @DisplayName("delete succeeds with the version read and refuses a stale one")
        void conditionalDelete() {
            String key = newKey();
            assertTrue(writes.create(key, bytes("v1"), HOUR));
            VersionedEntry first = writes.loadVersioned(key);
            assertTrue(writes.replace(key, first.version(), bytes("v2"), HOUR));
            assertFalse(writes.delete(key, first.version()));
            assertArrayEquals(bytes("v2"), backend().load(key));
            assertTrue(writes.delete(key, writes.loadVersioned(key).version()));
            assertNull(backend().load(key));
        }

        @Test
        @DisplayName("an expired entry counts as absent: create succeeds, replace is refused")
        void expiredEntriesAreAbsent() throws InterruptedException {
            String key = newKey();
            Duration ttl = expiresByServerClock() ? serverClockTimeToLive() : Duration.ofSeconds(10);
            assertTrue(writes.create(key, bytes("old"), ttl));
            VersionedEntry read = writes.loadVersioned(key);
            if (expiresByServerClock()) {
                awaitGone(List.of(key), ttl);
            } else {
                clock.advance(ttl.plusMillis(1));
            }
            assertNull(writes.loadVersioned(key));
            assertFalse(writes.replace(key, read.version(), bytes("stale"), HOUR));
            assertTrue(writes.create(key, bytes("new"), HOUR));
            assertArrayEquals(bytes("new"), backend().load(key));
        }

        @Test
        @DisplayName("threads racing to replace one version: exactly one wins each round")
        void exactlyOneWinnerPerRound() throws Exception {
            String key = newKey();
            assertTrue(writes.create(key, bytes("round-0"), HOUR));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 1; round <= 5; round++) {
                    long version = writes.loadVersioned(key).version();
                    List<Future<Boolean>> attempts = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        byte[] value = bytes("round-" + round + "-thread-" + t);
                        attempts.add(pool.submit(() -> writes.replace(key, version, value, HOUR)));
                    }
                    int winners = 0;
                    for (Future<Boolean> attempt : attempts) {
                        winners += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
                    }
                    assertEquals(1, winners, "winners in round " + round);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("session locks (optional capability SessionLocks)")
    class SessionLocksSection {

        private SessionLocks locks;

        @BeforeEach
        void offeredByTheBackend() {
            locks = requireCapability(SessionLocks.class);
        }

        @Test
        @DisplayName("a lock is exclusive until its holder releases it")
        void exclusive() {
            String key = newKey();
            backend().save(key, bytes("v"), HOUR);
            assertTrue(locks.tryLock(key, "holder-a", HOUR));
            assertFalse(locks.tryLock(key, "holder-b", HOUR));
            locks.unlock(key, "holder-a");
            assertTrue(locks.tryLock(key, "holder-b", HOUR));
            locks.unlock(key, "holder-b");
        }

        @Test
        @DisplayName("a token that does not hold the lock cannot release it")
        void wrongTokenCannotUnlock() {
            String key = newKey();
            backend().save(key, bytes("v"), HOUR);
            assertTrue(locks.tryLock(key, "holder-a", HOUR));
            locks.unlock(key, "holder-b");
            assertFalse(locks.tryLock(key, "holder-c", HOUR), "still held by holder-a");
            locks.unlock(key, "holder-a");
            locks.unlock(key, "holder-a"); // releasing twice is harmless
        }

        @Test
        @DisplayName("a lock whose lease ran out can be taken by another holder")
        void leaseExpires() throws InterruptedException {
            String key = newKey();
            backend().save(key, bytes("v"), HOUR);
            Duration lease = serverClockTimeToLive();
            assertTrue(locks.tryLock(key, "crashed", lease));
            assertFalse(locks.tryLock(key, "next", HOUR), "the lease still holds");
            if (!expiresByServerClock()) {
                clock.advance(lease.plusSeconds(1));
            }
            assertTrue(takesLockWithin(locks, key, "next", lease), "the dead holder blocks no longer than its lease");
            locks.unlock(key, "crashed");
            assertFalse(locks.tryLock(key, "third", HOUR), "the expired holder's unlock did not free the new holder's lock");
            locks.unlock(key, "next");
        }

        @Test
        @DisplayName("locks of different sessions are independent, and a lock leaves the data alone")
        void independent() {
            String a = newKey();
            String b = newKey();
            backend().save(a, bytes("a"), HOUR);
            backend().save(b, bytes("b"), HOUR);
            assertTrue(locks.tryLock(a, "holder", HOUR));
            assertTrue(locks.tryLock(b, "holder", HOUR));
            assertArrayEquals(bytes("a"), backend().load(a));
            locks.unlock(a, "holder");
            locks.unlock(b, "holder");
            assertArrayEquals(bytes("b"), backend().load(b));
        }

        @Test
        @DisplayName("threads racing for one free lock: exactly one takes it")
        void exactlyOneTaker() throws Exception {
            String key = newKey();
            backend().save(key, bytes("v"), HOUR);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String token = "holder-" + t;
                    attempts.add(pool.submit(() -> locks.tryLock(key, token, HOUR)));
                }
                int takers = 0;
                for (Future<Boolean> attempt : attempts) {
                    takers += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, takers);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("concurrent requests through the engine (with ConditionalWrites)")
    class ConcurrentRequests {

        private SessionInterface sessions;

        @BeforeEach
        void engineOnThisBackend() {
            requireCapability(ConditionalWrites.class);
            sessions = SessionInterface.create(configBuilder().build(), backend());
        }

        private String storedSession() {
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session);
            return session.id();
        }

        @Test
        @DisplayName("sixteen concurrent requests each setting its own attribute keep all sixteen")
        void sixteenRequestsSixteenAttributes() throws Exception {
            String id = storedSession();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                CountDownLatch allRead = new CountDownLatch(16);
                List<Future<?>> requests = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String attribute = "attribute-" + i;
                    requests.add(pool.submit(() -> {
                        Session session = sessions.open(id);
                        session.size();
                        allRead.countDown();
                        allRead.await(30, TimeUnit.SECONDS);
                        session.put(attribute, attribute);
                        sessions.save(session);
                        return null;
                    }));
                }
                for (Future<?> request : requests) {
                    request.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Session result = sessions.open(id);
            for (int i = 0; i < 16; i++) {
                assertEquals("attribute-" + i, result.get("attribute-" + i), "attribute-" + i + " of " + result.keySet());
            }
            assertEquals("ada", result.get("user"));
        }

        @Test
        @DisplayName("a slow request saving after a logout does not bring the session back")
        void logoutWins() {
            String id = storedSession();
            Session slow = sessions.open(id);
            slow.put("cart", List.of("apple"));
            Session logout = sessions.open(id);
            logout.invalidate();
            sessions.save(logout);
            assertNull(sessions.save(slow).setCookieHeader(), "no cookie revives the session");
            assertTrue(sessions.open(id).isNew(), "the session stays gone");
        }

        @Test
        @DisplayName("a session invalidated after its save (a response that committed early) is deleted by the next save")
        void invalidateAfterTheSaveDeletes() {
            String id = storedSession();
            Session session = sessions.open(id);
            session.put("cart", List.of("apple"));
            sessions.save(session);
            session.invalidate();
            sessions.save(session);
            assertTrue(sessions.open(id).isNew(), "the record is gone");
            Session fresh = sessions.open(null);
            fresh.put("user", "bob");
            sessions.save(fresh);
            fresh.invalidate();
            sessions.save(fresh);
            assertTrue(sessions.open(fresh.id()).isNew(), "a session created and ended in one request leaves nothing");
        }

        @Test
        @DisplayName("with SESSION_LOCKING, forty concurrent read-increment-write requests count to forty")
        void lockingSerialisesReadModifyWrite() throws Exception {
            requireCapability(SessionLocks.class);
            SessionInterface locking = SessionInterface.create(configBuilder().set(ConfigKeys.SESSION_LOCKING, "true")
                    .set(ConfigKeys.SESSION_LOCK_TIMEOUT, "PT60S").build(), backend());
            Session first = locking.open(null);
            first.put("count", 0);
            locking.save(first);
            String id = first.id();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> requests = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    requests.add(pool.submit(() -> {
                        Session session = locking.open(id);
                        session.put("count", session.get("count", Integer.class) + 1);
                        locking.save(session);
                        return null;
                    }));
                }
                for (Future<?> request : requests) {
                    request.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(40, locking.open(id).get("count", Integer.class));
        }
    }

    /** Polls {@code condition} until it holds, for a backend whose server expires entries in its own time. */
    private static void awaitTrue(Supplier<Boolean> condition, Duration within, String message) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, message);
            Thread.sleep(50);
        }
    }

    private static String randomName(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    @Nested
    @DisplayName("a user's sessions (optional capability PrincipalIndex)")
    class PrincipalIndexSection {

        private static final Duration TOLERANCE = Duration.ofSeconds(2);

        private PrincipalIndex index;

        @BeforeEach
        void offeredByTheBackend() {
            index = requireCapability(PrincipalIndex.class);
        }

        private Set<String> keysOf(String principal) {
            Set<String> keys = new HashSet<>();
            for (ListedEntry entry : index.entriesOf(principal)) {
                assertTrue(keys.add(entry.key()), "listed twice: " + entry.key());
            }
            return keys;
        }

        private String storedEntryOf(String principal, Duration timeToLive) {
            String key = newKey();
            backend().save(key, bytes("value of " + key), timeToLive);
            index.assign(key, null, principal, timeToLive);
            return key;
        }

        private Duration shortLife() {
            return expiresByServerClock() ? serverClockTimeToLive() : Duration.ofMinutes(1);
        }

        @Test
        @DisplayName("an entry given a principal is listed under it, with its bytes and expiry, and under no other")
        void assignedEntryIsListed() {
            String alice = randomName("alice-");
            String key = storedEntryOf(alice, HOUR);
            List<ListedEntry> entries = index.entriesOf(alice);
            assertEquals(1, entries.size(), "entries of " + alice);
            assertEquals(key, entries.get(0).key());
            assertArrayEquals(bytes("value of " + key), entries.get(0).value());
            Duration off = Duration.between(clock.instant().plus(HOUR), entries.get(0).expiresAt()).abs();
            assertTrue(off.compareTo(TOLERANCE) <= 0, "expiry " + entries.get(0).expiresAt());
            assertEquals(Set.of(), keysOf(randomName("bob-")));
        }

        @Test
        @DisplayName("changing an entry's principal moves it; removing it takes it out of the index")
        void changeAndRemove() {
            String alice = randomName("alice-");
            String bob = randomName("bob-");
            String key = storedEntryOf(alice, HOUR);
            index.assign(key, alice, bob, HOUR);
            assertEquals(Set.of(), keysOf(alice));
            assertEquals(Set.of(key), keysOf(bob));
            index.assign(key, bob, null, HOUR);
            assertEquals(Set.of(), keysOf(bob));
            assertArrayEquals(bytes("value of " + key), backend().load(key), "the entry itself stays");
        }

        @Test
        @DisplayName("an entry saved again, blindly or conditionally, keeps its principal")
        void savesKeepThePrincipal() {
            String alice = randomName("alice-");
            String key = storedEntryOf(alice, HOUR);
            backend().save(key, bytes("saved again"), HOUR);
            assertEquals(Set.of(key), keysOf(alice), "after a save");
            Optional<ConditionalWrites> writes = backend().capability(ConditionalWrites.class);
            if (writes.isPresent()) {
                VersionedEntry read = writes.get().loadVersioned(key);
                assertTrue(writes.get().replace(key, read.version(), bytes("replaced"), HOUR));
                assertEquals(Set.of(key), keysOf(alice), "after a conditional replace");
                assertArrayEquals(bytes("replaced"), index.entriesOf(alice).get(0).value());
            }
        }

        @Test
        @DisplayName("a deleted entry is not listed")
        void deletedEntryIsNotListed() {
            String alice = randomName("alice-");
            String kept = storedEntryOf(alice, HOUR);
            String deleted = storedEntryOf(alice, HOUR);
            backend().delete(deleted);
            assertEquals(Set.of(kept), keysOf(alice));
        }

        @Test
        @DisplayName("an expired entry is not listed, and one whose life was extended still is")
        void indexExpiresWithTheEntries() throws InterruptedException {
            String alice = randomName("alice-");
            Duration life = shortLife();
            String expiring = storedEntryOf(alice, life);
            String extended = storedEntryOf(alice, life);
            backend().touch(extended, HOUR);
            if (!index.keptInEntry()) {
                index.assign(extended, alice, alice, HOUR);
            }
            pass(life.plusSeconds(1));
            awaitTrue(() -> keysOf(alice).equals(Set.of(extended)), life.multipliedBy(3).plusSeconds(5),
                    "expected only the extended entry to be listed");
        }

        @Test
        @DisplayName("twenty entries of one principal, given it concurrently, are all listed")
        void concurrentAssignments() throws Exception {
            String alice = randomName("alice-");
            List<Callable<String>> logins = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                logins.add(() -> storedEntryOf(alice, HOUR));
            }
            assertEquals(new HashSet<>(runConcurrently(logins)), keysOf(alice));
        }

        @Test
        @DisplayName("principals that differ in one character, or hold spaces and symbols, are kept apart")
        void unusualPrincipals() {
            String base = randomName("ä user/with:{braces}*?");
            String a = storedEntryOf(base, HOUR);
            String b = storedEntryOf(base + "x", HOUR);
            String c = storedEntryOf(base.toUpperCase(java.util.Locale.ROOT), HOUR);
            assertEquals(Set.of(a), keysOf(base));
            assertEquals(Set.of(b), keysOf(base + "x"));
            assertEquals(Set.of(c), keysOf(base.toUpperCase(java.util.Locale.ROOT)));
        }

        @Nested
        @DisplayName("through the engine, with SESSION_PRINCIPAL_KEY=user")
        class ThroughTheEngine {

            private SessionInterface sessions;
            private final List<String> revokedIds = java.util.Collections.synchronizedList(new ArrayList<>());

            @BeforeEach
            void engineWithPrincipalKey() {
                sessions = SessionInterface.create(configBuilder().set(ConfigKeys.SESSION_PRINCIPAL_KEY, "user").build(),
                        backend());
                sessions.addListener(new io.sessionkit.SessionListener() {
                    @Override
                    public void revoked(String id) {
                        revokedIds.add(id);
                    }
                });
            }

            private String loggedIn(String user) {
                Session session = sessions.open(null);
                session.put("user", user);
                session.put("cart", List.of("apple"));
                sessions.save(session);
                return session.id();
            }

            private Set<String> idsOf(String user) {
                Set<String> ids = new HashSet<>();
                for (SessionSummary summary : sessions.sessionsOf(user)) {
                    ids.add(summary.id());
                }
                return ids;
            }

            @Test
            @DisplayName("lists a user's sessions with creation, expiry and size; revokes all but one, then all")
            void listAndRevoke() {
                String alice = randomName("alice-");
                String bob = randomName("bob-");
                String first = loggedIn(alice);
                String second = loggedIn(alice);
                String third = loggedIn(alice);
                String bobs = loggedIn(bob);
                assertEquals(Set.of(first, second, third), idsOf(alice));
                SessionSummary summary = sessions.sessionsOf(alice).get(0);
                assertEquals(alice, summary.principal());
                assertNotNull(summary.created());
                assertTrue(summary.expiresAt().isAfter(clock.instant()), "expires " + summary.expiresAt());
                assertTrue(summary.size() > 0);

                assertEquals(2, sessions.revokeAllExcept(alice, first));
                assertEquals(Set.of(first), idsOf(alice));
                assertTrue(sessions.open(second).isNew(), "a revoked session is gone");
                assertTrue(sessions.open(third).isNew(), "a revoked session is gone");
                assertFalse(sessions.open(first).isNew(), "the kept session lives");
                assertEquals(Set.of(second, third), new HashSet<>(revokedIds));

                assertEquals(1, sessions.revokeAll(alice));
                assertEquals(Set.of(), idsOf(alice));
                assertTrue(sessions.open(first).isNew());
                assertEquals(Set.of(bobs), idsOf(bob), "another user's session is untouched");
            }

            @Test
            @DisplayName("a logout that removes the attribute, and an invalidate, take the session out of the list")
            void logoutAndInvalidate() {
                String alice = randomName("alice-");
                String loggedOut = loggedIn(alice);
                String invalidated = loggedIn(alice);
                Session session = sessions.open(loggedOut);
                session.remove("user");
                sessions.save(session);
                Session ended = sessions.open(invalidated);
                ended.invalidate();
                sessions.save(ended);
                assertEquals(Set.of(), idsOf(alice));
                assertFalse(sessions.open(loggedOut).isNew(), "the logged-out session itself lives on");
            }

            @Test
            @DisplayName("a login that regenerates the id lists the new id, and a change of user moves the session")
            void regenerateAndChangeOfUser() {
                String alice = randomName("alice-");
                String bob = randomName("bob-");
                Session anonymous = sessions.open(null);
                anonymous.put("cart", List.of("apple"));
                sessions.save(anonymous);
                String before = anonymous.id();
                Session login = sessions.open(before);
                login.regenerate();
                login.put("user", alice);
                sessions.save(login);
                assertNotEquals(before, login.id());
                assertEquals(Set.of(login.id()), idsOf(alice));
                Session switchUser = sessions.open(login.id());
                switchUser.put("user", bob);
                sessions.save(switchUser);
                assertEquals(Set.of(), idsOf(alice));
                assertEquals(Set.of(login.id()), idsOf(bob));
            }

            @Test
            @DisplayName("sixteen concurrent logins of one user are all listed, and revokeAll ends all sixteen")
            void concurrentLogins() throws Exception {
                String alice = randomName("alice-");
                List<Callable<String>> logins = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    logins.add(() -> loggedIn(alice));
                }
                Set<String> ids = new HashSet<>(runConcurrently(logins));
                assertEquals(ids, idsOf(alice));
                assertEquals(16, sessions.revokeAll(alice));
                for (String id : ids) {
                    assertTrue(sessions.open(id).isNew(), "revoked: " + id.substring(0, 6));
                }
            }

            @Test
            @DisplayName("revoke(id) ends one session; a request of it in flight does not bring it back")
            void revokeOneWhileARequestIsInFlight() {
                String alice = randomName("alice-");
                String id = loggedIn(alice);
                Session inFlight = sessions.open(id);
                inFlight.put("cart", List.of("apple", "pear"));
                assertTrue(sessions.revoke(id));
                assertFalse(sessions.revoke(id), "a second revoke finds nothing");
                if (backend().capability(ConditionalWrites.class).isPresent()) {
                    assertNull(sessions.save(inFlight).setCookieHeader(), "no cookie revives the session");
                    assertTrue(sessions.open(id).isNew(), "the revoked session stays gone");
                }
                assertEquals(Set.of(), idsOf(alice));
                assertEquals(List.of(id), revokedIds);
            }
        }
    }

    @Nested
    @DisplayName("counting and listing sessions (optional capability SessionListing)")
    class SessionListingSection {

        private SessionListing listing;

        @BeforeEach
        void offeredByTheBackend() {
            listing = requireCapability(SessionListing.class);
        }

        private Map<String, ListedEntry> walk(int limit) {
            Map<String, ListedEntry> seen = new LinkedHashMap<>();
            String cursor = null;
            int pages = 0;
            do {
                ListedPage page = listing.list(keyPrefix, cursor, limit);
                assertTrue(page.entries().size() <= limit, "a page of " + page.entries().size() + " for a limit of " + limit);
                for (ListedEntry entry : page.entries()) {
                    assertNull(seen.put(entry.key(), entry), "listed twice: " + entry.key());
                }
                cursor = page.nextCursor();
                assertTrue(++pages < 10_000, "the walk does not end");
            } while (cursor != null);
            return seen;
        }

        private Set<String> saved(int count, Duration timeToLive) {
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < count; i++) {
                String key = newKey();
                backend().save(key, bytes("value " + i), timeToLive);
                keys.add(key);
            }
            return keys;
        }

        @Test
        @DisplayName("an empty prefix counts zero and lists nothing")
        void nothingStored() {
            assertEquals(0, listing.count(keyPrefix));
            assertEquals(Map.of(), walk(10));
        }

        @Test
        @DisplayName("counts the entries of its prefix only, and lists each of them once, page by page")
        void countAndWalk() {
            Set<String> keys = saved(25, HOUR);
            String otherPrefix = randomName("contract-other-") + ":";
            backend().save(otherPrefix + newKey().substring(keyPrefix.length()), bytes("other"), HOUR);
            assertEquals(25, listing.count(keyPrefix));
            Map<String, ListedEntry> seen = walk(7);
            assertEquals(keys, seen.keySet());
            for (ListedEntry entry : seen.values()) {
                assertArrayEquals(backend().load(entry.key()), entry.value(), "the bytes of " + entry.key());
                assertTrue(entry.expiresAt().isAfter(clock.instant()), "expiry " + entry.expiresAt());
            }
            assertEquals(keys, walk(1000).keySet(), "in one page");
        }

        @Test
        @DisplayName("expired and deleted entries are neither counted nor listed")
        void expiredAndDeletedAreLeftOut() throws InterruptedException {
            Set<String> live = saved(2, HOUR);
            String deleted = saved(1, HOUR).iterator().next();
            backend().delete(deleted);
            Duration life = expiresByServerClock() ? serverClockTimeToLive() : Duration.ofMinutes(1);
            saved(2, life);
            pass(life.plusSeconds(1));
            awaitTrue(() -> listing.count(keyPrefix) == 2, life.multipliedBy(3).plusSeconds(5),
                    "expected the two live entries to be counted");
            assertEquals(live, walk(10).keySet());
        }

        @Test
        @DisplayName("a backend's lock and index entries are not sessions")
        void locksAndIndexAreNotSessions() {
            Set<String> keys = saved(3, HOUR);
            String first = keys.iterator().next();
            backend().capability(SessionLocks.class).ifPresent(locks -> {
                assertTrue(locks.tryLock(first, "token", HOUR));
                assertTrue(locks.tryLock(newKey(), "token", HOUR));
            });
            backend().capability(PrincipalIndex.class).ifPresent(index -> index.assign(first, null, "alice", HOUR));
            assertEquals(3, listing.count(keyPrefix));
            assertEquals(keys, walk(2).keySet());
        }

        @Test
        @DisplayName("a cursor the backend did not make is refused")
        void foreignCursorIsRefused() {
            assertThrows(IllegalArgumentException.class, () -> listing.list(keyPrefix, "not a cursor %%", 5));
        }

        @Test
        @DisplayName("the engine counts and lists its sessions with their creation time")
        void throughTheEngine() {
            SessionInterface sessions = SessionInterface.create(configBuilder().build(), backend());
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Session session = sessions.open(null);
                session.put("n", i);
                sessions.save(session);
                ids.add(session.id());
            }
            assertEquals(3, sessions.count());
            Set<String> listed = new HashSet<>();
            String cursor = null;
            do {
                SessionPage page = sessions.list(cursor, 2);
                for (SessionSummary summary : page.sessions()) {
                    listed.add(summary.id());
                    assertNotNull(summary.created(), "created");
                    assertNull(summary.principal(), "no principal key is set");
                }
                cursor = page.nextCursor();
            } while (cursor != null);
            assertEquals(ids, listed);
        }
    }
}
