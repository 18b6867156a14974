package io.sessionkit.filesystem;

import io.sessionkit.Session;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The filesystem store's {@link ConditionalWrites} (a digest of the file as its version, compare
 * and rename under the file's lock), its {@link SessionLocks} (lock files), the clean-up taking
 * the same lock as saves, and concurrent requests through the engine. Across processes:
 * {@link SharedDirectoryAcrossProcessesTest}.
 */
class FileSystemConcurrencyTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final String KEY = "session:versioned";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder().set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString()).clock(clock);
    }

    private FileSystemSessionBackend backend() {
        return backend(Map.of());
    }

    private FileSystemSessionBackend backend(Map<String, String> settings) {
        FileSystemSessionBackend backend = (FileSystemSessionBackend) BackendRegistry.load().create(config().fromMap(settings).build());
        opened.add(backend);
        return backend;
    }

    private static <C> C capability(FileSystemSessionBackend backend, Class<C> type) {
        return backend.capability(type).orElseThrow();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void runAll(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            for (Future<Void> result : pool.invokeAll(tasks, 2, TimeUnit.MINUTES)) {
                assertFalse(result.isCancelled(), "a thread did not finish within 2 minutes");
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One round of a race among threads. */
    private interface Race {
        /** Run by one thread before the round; the others wait for it. */
        default void prepare(int round) {
        }

        /** Run by every thread at once. */
        boolean attempt(int round);

        /** Run by the winner once every thread has attempted. */
        default void release(int round) {
        }
    }

    /** Runs a race on 8 threads, {@code rounds} times, and checks that exactly one won each round. */
    private static void exactlyOneWinnerPerRound(int rounds, Race race) throws Exception {
        int threads = 8;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        AtomicInteger[] winners = new AtomicInteger[rounds];
        for (int round = 0; round < rounds; round++) {
            winners[round] = new AtomicInteger();
        }
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                for (int round = 0; round < rounds; round++) {
                    if (barrier.await(30, TimeUnit.SECONDS) == 0) {
                        race.prepare(round);
                    }
                    barrier.await(30, TimeUnit.SECONDS);
                    boolean won = race.attempt(round);
                    if (won) {
                        winners[round].incrementAndGet();
                    }
                    barrier.await(30, TimeUnit.SECONDS);
                    if (won) {
                        race.release(round);
                    }
                }
                return null;
            });
        }
        runAll(tasks);
        for (int round = 0; round < rounds; round++) {
            assertEquals(1, winners[round].get(), "winners of round " + round);
        }
    }

    @Nested
    @DisplayName("conditional writes")
    class Writes {

        @Test
        @DisplayName("create refuses a live file and replaces an expired one")
        void createOnlyWhereNoLiveFile() {
            ConditionalWrites writes = capability(backend(), ConditionalWrites.class);
            assertTrue(writes.create(KEY, bytes("first"), Duration.ofMinutes(1)));
            assertFalse(writes.create(KEY, bytes("second"), HOUR));
            assertArrayEquals(bytes("first"), writes.loadVersioned(KEY).value());
            clock.advance(Duration.ofMinutes(1));
            assertTrue(writes.create(KEY, bytes("after expiry"), HOUR));
            assertArrayEquals(bytes("after expiry"), writes.loadVersioned(KEY).value());
        }

        @Test
        @DisplayName("the version is a digest of the bytes: a replace or blind save changes it, a stale one is refused")
        void staleVersionRefused() {
            FileSystemSessionBackend backend = backend();
            ConditionalWrites writes = capability(backend, ConditionalWrites.class);
            writes.create(KEY, bytes("v1"), HOUR);
            long first = writes.loadVersioned(KEY).version();
            assertEquals(SessionFileDirectory.version(bytes("v1")), first);
            assertTrue(writes.replace(KEY, first, bytes("v2"), HOUR));
            assertFalse(writes.replace(KEY, first, bytes("lost"), HOUR));
            assertFalse(writes.delete(KEY, first));
            long second = writes.loadVersioned(KEY).version();
            backend.save(KEY, bytes("blind"), HOUR);
            assertFalse(writes.replace(KEY, second, bytes("lost"), HOUR), "the version read before a blind save still matched");
            assertArrayEquals(bytes("blind"), backend.load(KEY));
        }

        @Test
        @DisplayName("replace and delete of a deleted or expired file are refused and bring nothing back")
        void deletedOrExpiredFileNotReplaced() {
            FileSystemSessionBackend backend = backend();
            ConditionalWrites writes = capability(backend, ConditionalWrites.class);
            writes.create(KEY, bytes("x"), HOUR);
            long version = writes.loadVersioned(KEY).version();
            assertTrue(writes.delete(KEY, version));
            assertFalse(writes.replace(KEY, version, bytes("resurrected"), HOUR));
            assertFalse(Files.exists(backend.fileFor(KEY)), "a replace of a deleted file wrote one");

            writes.create(KEY, bytes("expiring"), Duration.ofMinutes(1));
            long expiring = writes.loadVersioned(KEY).version();
            clock.advance(Duration.ofMinutes(1));
            assertFalse(writes.replace(KEY, expiring, bytes("revived"), HOUR));
            assertFalse(writes.delete(KEY, expiring));
            assertNull(writes.loadVersionedAndTouch(KEY, HOUR));
            assertNull(backend.load(KEY), "a touching read revived an expired file");
        }

        @Test
        @DisplayName("a touch extends the life and keeps the version")
        void touchKeepsTheVersion() {
            FileSystemSessionBackend backend = backend();
            ConditionalWrites writes = capability(backend, ConditionalWrites.class);
            writes.create(KEY, bytes("payload"), Duration.ofMinutes(10));
            long version = writes.loadVersioned(KEY).version();
            clock.advance(Duration.ofMinutes(5));
            assertEquals(version, writes.loadVersionedAndTouch(KEY, Duration.ofMinutes(10)).version());
            backend.touch(KEY, Duration.ofMinutes(10));
            clock.advance(Duration.ofMinutes(9));
            assertTrue(writes.replace(KEY, version, bytes("changed"), HOUR), "the touch changed the version or let the file expire");
        }

        @Test
        @DisplayName("many threads replacing one file with the same version: exactly one wins each round")
        void racingReplacesHaveOneWinner() throws Exception {
            ConditionalWrites writes = capability(backend(), ConditionalWrites.class);
            writes.create(KEY, bytes("start"), HOUR);
            exactlyOneWinnerPerRound(30, new Race() {
                private volatile long expected;

                @Override
                public void prepare(int round) {
                    expected = writes.loadVersioned(KEY).version();
                }

                @Override
                public boolean attempt(int round) {
                    return writes.replace(KEY, expected, bytes("round " + round + " by " + Thread.currentThread().getName()), HOUR);
                }
            });
        }

        @Test
        @DisplayName("many threads creating one new key at once: exactly one wins")
        void racingCreatesHaveOneWinner() throws Exception {
            ConditionalWrites writes = capability(backend(), ConditionalWrites.class);
            exactlyOneWinnerPerRound(20, round -> writes.create("session:new-" + round, bytes("x"), HOUR));
            clock.advance(HOUR);
            exactlyOneWinnerPerRound(20, round -> writes.create("session:new-" + round, bytes("over expired"), HOUR));
        }
    }

    @Nested
    @DisplayName("session locks")
    class Locks {

        @Test
        @DisplayName("a lock is exclusive, only its token releases it, and the lock file goes with the release")
        void exclusiveAndOnlyItsTokenUnlocks() {
            FileSystemSessionBackend backend = backend();
            SessionLocks locks = capability(backend, SessionLocks.class);
            assertTrue(locks.tryLock(KEY, "first", HOUR));
            assertFalse(locks.tryLock(KEY, "second", HOUR));
            locks.unlock(KEY, "second");
            assertFalse(locks.tryLock(KEY, "third", HOUR), "a wrong token released the lock");
            locks.unlock(KEY, "first");
            assertFalse(Files.exists(lockFile()), "the released lock left its file");
            assertTrue(locks.tryLock(KEY, "second", HOUR));
        }

        private Path lockFile() {
            String sessionFile = backend().fileFor(KEY).getFileName().toString();
            return directory.resolve(sessionFile.replace(".session", ".lock"));
        }

        @Test
        @DisplayName("a lapsed lease is taken over, once, and its old holder cannot release the new holder")
        void lapsedLeaseTakenOverByExactlyOne() throws Exception {
            SessionLocks locks = capability(backend(), SessionLocks.class);
            // Each round the lock's holder has "crashed" and its lease lapses; eight takers race for it.
            exactlyOneWinnerPerRound(20, new Race() {
                @Override
                public void prepare(int round) {
                    if (round == 0) {
                        assertTrue(locks.tryLock(KEY, "crashed", Duration.ofSeconds(1)));
                    }
                    // The holder (that one, or the last round's winner) never releases: its lease lapses now.
                    clock.advance(Duration.ofSeconds(1));
                }

                @Override
                public boolean attempt(int round) {
                    return locks.tryLock(KEY, "taker-" + round + "-" + Thread.currentThread().getName(), Duration.ofSeconds(1));
                }
            });
            assertTrue(locks.tryLock("session:crashed", "crashed", Duration.ofSeconds(1)));
            clock.advance(Duration.ofSeconds(1));
            assertTrue(locks.tryLock("session:crashed", "successor", HOUR));
            locks.unlock("session:crashed", "crashed");
            assertFalse(locks.tryLock("session:crashed", "late", HOUR), "the crashed holder released its successor's lock");
        }

        @Test
        @DisplayName("a lock file a holder left half written is taken over")
        void unreadableLockFileTakenOver() throws IOException {
            SessionLocks locks = capability(backend(), SessionLocks.class);
            Files.writeString(lockFile(), "torn-token");
            assertTrue(locks.tryLock(KEY, "next", HOUR));
            assertFalse(locks.tryLock(KEY, "other", HOUR));
        }

        @Test
        @DisplayName("many threads racing for one lock: exactly one takes it each round")
        void racingLocksHaveOneWinner() throws Exception {
            SessionLocks locks = capability(backend(), SessionLocks.class);
            exactlyOneWinnerPerRound(30, new Race() {
                @Override
                public boolean attempt(int round) {
                    return locks.tryLock(KEY, token(round), HOUR);
                }

                @Override
                public void release(int round) {
                    locks.unlock(KEY, token(round));
                }

                private String token(int round) {
                    return "round-" + round + "-" + Thread.currentThread().getName();
                }
            });
        }

        @Test
        @DisplayName("the clean-up deletes lock files whose lease ended, and keeps held ones")
        void cleanupDeletesLapsedLockFiles() {
            FileSystemSessionBackend backend = backend();
            SessionLocks locks = capability(backend, SessionLocks.class);
            assertTrue(locks.tryLock(KEY, "crashed", Duration.ofSeconds(30)));
            assertTrue(locks.tryLock("session:held", "holder", HOUR));
            clock.advance(Duration.ofMinutes(1));
            capability(backend, ExpiredSessionCleanup.class).deleteExpired();
            assertFalse(Files.exists(lockFile()), "a lapsed lock file survived the clean-up");
            assertFalse(locks.tryLock("session:held", "other", HOUR), "the clean-up deleted a held lock");
        }
    }

    @Nested
    @DisplayName("clean-up and pruning take the file's lock")
    class CleanupAndPruning {

        /**
         * Holds the lock of {@code key}'s file on another thread, as a save in progress does,
         * runs {@code cleanup} meanwhile, and checks that it waited for the lock: then renames a
         * fresh file over the old one and lets go.
         */
        private void saveInProgressWhile(FileSystemSessionBackend backend, String key, Runnable cleanup) throws Exception {
            SessionFileDirectory files = new SessionFileDirectory(directory, null, DirectoryLockFile.open(directory));
            opened.add(files);
            Path file = backend.fileFor(key);
            Path fresh = files.writeTemp(bytes("fresh"), clock.instant().plus(HOUR));
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread saving = new Thread(() -> {
                try {
                    files.locked(file, () -> {
                        held.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                        SessionFileDirectory.moveOver(fresh, file);
                        return null;
                    });
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            saving.start();
            assertTrue(held.await(10, TimeUnit.SECONDS));
            Thread cleaning = new Thread(cleanup);
            cleaning.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cleaning.getState() != Thread.State.WAITING) {
                assertNotEquals(Thread.State.TERMINATED, cleaning.getState(), "the clean-up ran past a file whose lock was held");
                assertTrue(System.nanoTime() < deadline, "the clean-up never waited for the lock");
                Thread.sleep(1);
            }
            release.countDown();
            saving.join(10_000);
            cleaning.join(10_000);
        }

        @Test
        @DisplayName("a save renaming a fresh file over an expired one, while the clean-up looks at it, is not deleted")
        void cleanupWaitsForASaveInProgress() throws Exception {
            FileSystemSessionBackend backend = backend();
            backend.save(KEY, bytes("old"), Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(1));
            AtomicInteger deleted = new AtomicInteger(-1);
            saveInProgressWhile(backend, KEY, () -> deleted.set(capability(backend, ExpiredSessionCleanup.class).deleteExpired()));
            assertEquals(0, deleted.get());
            assertArrayEquals(bytes("fresh"), backend.load(KEY), "the clean-up deleted the save that landed after its check");
        }

        @Test
        @DisplayName("pruning keeps a least recently used file that a save replaced while pruning looked at it")
        void pruningWaitsForASaveInProgress() throws Exception {
            FileSystemSessionBackend backend = backend(Map.of("SESSION_FILE_THRESHOLD", "10"));
            for (int i = 0; i < 9; i++) {
                backend.save("session:other-" + i, bytes("x"), HOUR);
            }
            // The tenth file, at the threshold, and the least recently used: the first to go when pruning runs.
            backend.save(KEY, bytes("old"), Duration.ofMinutes(1));
            saveInProgressWhile(backend, KEY, backend::prune);
            assertArrayEquals(bytes("fresh"), backend.load(KEY), "pruning deleted the save that landed after it listed the file");
        }
    }

    @Nested
    @DisplayName("concurrent requests through the engine")
    class Engine {

        private SessionInterface engine(Map<String, String> settings) {
            SessionInterface engine = SessionInterface.create(config().fromMap(settings).build());
            opened.add(engine);
            return engine;
        }

        private String storedSession(SessionInterface engine) {
            Session session = engine.open(null);
            session.put("user", "ada");
            engine.save(session);
            return session.id();
        }

        @Test
        @DisplayName("16 concurrent requests on one session, each setting its own key: all 16 keys are stored")
        void ownKeysOfConcurrentRequestsAllStored() throws Exception {
            SessionInterface engine = engine(Map.of());
            String id = storedSession(engine);
            CountDownLatch allRead = new CountDownLatch(16);
            List<Callable<Void>> requests = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String key = "key-" + i;
                requests.add(() -> {
                    Session session = engine.open(id);
                    assertEquals("ada", session.get("user"));
                    allRead.countDown();
                    assertTrue(allRead.await(30, TimeUnit.SECONDS));
                    session.put(key, i(key));
                    engine.save(session);
                    return null;
                });
            }
            runAll(requests);
            Session stored = engine.open(id);
            for (int i = 0; i < 16; i++) {
                assertEquals(i, ((Number) stored.get("key-" + i)).intValue(), "key-" + i + " of " + stored.keySet());
            }
        }

        private int i(String key) {
            return Integer.parseInt(key.substring(4));
        }

        @Test
        @DisplayName("a request saving after a logout it raced with does not bring the session back, nor its cookie")
        void logoutWinsOverASlowRequest() {
            SessionInterface engine = engine(Map.of());
            String id = storedSession(engine);
            Session slow = engine.open(id);
            slow.put("theme", "dark");
            Session logout = engine.open(id);
            logout.invalidate();
            engine.save(logout);
            SaveResult late = engine.save(slow);
            assertNull(late.setCookieHeader(), "a cookie revived the ended session");
            assertFalse(Files.exists(backend().fileFor("session:" + id)), "the slow request wrote the session file again");
        }

        @Test
        @DisplayName("with SESSION_LOCKING, 40 concurrent read-increment-write requests count to 40")
        void lockingCountsEveryIncrement() throws Exception {
            SessionInterface engine = engine(Map.of("SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT60S"));
            String id = storedSession(engine);
            List<Callable<Void>> requests = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                requests.add(() -> {
                    Session session = engine.open(id);
                    session.put("count", ((Number) session.getOrDefault("count", 0)).intValue() + 1);
                    engine.save(session);
                    return null;
                });
            }
            runAll(requests);
            Session counted = engine.open(id);
            assertEquals(40, ((Number) counted.get("count")).intValue());
            engine.save(counted);
            try (var files = Files.list(directory)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}\\.lock")).toList(),
                        "a released lock left its file");
            }
        }
    }
}
