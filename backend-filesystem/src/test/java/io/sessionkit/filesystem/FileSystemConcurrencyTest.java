package io.sessionkit.filesystem;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testsupport.Race;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The filesystem store's {@link ConditionalWrites} (a digest of the file as its version, compare
 * and rename under the file's lock), its {@link SessionLocks} (lock files) and the clean-up
 * taking the same lock as saves, beyond what the contract kit checks on every store (its
 * sections run in {@link FileSystemContractTest}, concurrent requests through the engine
 * included). Across processes: {@link SharedDirectoryAcrossProcessesTest}.
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
        @DisplayName("eight threads replacing one file with the same version: exactly one wins, round after round")
        void racingReplacesHaveOneWinner() throws Exception {
            ConditionalWrites writes = capability(backend(), ConditionalWrites.class);
            writes.create(KEY, bytes("start"), HOUR);
            for (int round = 0; round < 30; round++) {
                long expected = writes.loadVersioned(KEY).version();
                String value = "round " + round + " by ";
                assertEquals(1, Race.winners(8, i -> () -> writes.replace(KEY, expected, bytes(value + i), HOUR)), "round " + round);
            }
        }

        @Test
        @DisplayName("eight threads creating one new key at once, or one over an expired file: exactly one wins")
        void racingCreatesHaveOneWinner() throws Exception {
            ConditionalWrites writes = capability(backend(), ConditionalWrites.class);
            for (String value : new String[] {"new", "over the expired file"}) {
                for (int k = 0; k < 20; k++) {
                    String key = "session:new-" + k;
                    assertEquals(1, Race.winners(8, i -> () -> writes.create(key, bytes(value), HOUR)), value + " " + key);
                }
                clock.advance(HOUR);
            }
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
        @DisplayName("a lapsed lease is taken over by exactly one of eight takers, and its old holder cannot release the new one")
        void lapsedLeaseTakenOverByExactlyOne() throws Exception {
            SessionLocks locks = capability(backend(), SessionLocks.class);
            assertTrue(locks.tryLock(KEY, "crashed", Duration.ofSeconds(1)));
            for (int round = 0; round < 20; round++) {
                // The holder (the crashed one, then each round's winner) never releases: its lease lapses now.
                clock.advance(Duration.ofSeconds(1));
                String tokens = "round-" + round + "-";
                assertEquals(1, Race.winners(8, i -> () -> locks.tryLock(KEY, tokens + i, Duration.ofSeconds(1))), "round " + round);
            }
            locks.unlock(KEY, "crashed");
            assertFalse(locks.tryLock(KEY, "late", HOUR), "the crashed holder released its successor's lock");
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
        @DisplayName("eight threads racing for a free lock: exactly one takes it, round after round")
        void racingLocksHaveOneWinner() throws Exception {
            SessionLocks locks = capability(backend(), SessionLocks.class);
            for (int round = 0; round < 30; round++) {
                String tokens = "round-" + round + "-";
                AtomicInteger winner = new AtomicInteger();
                assertEquals(1, Race.winners(8, i -> () -> {
                    boolean won = locks.tryLock(KEY, tokens + i, HOUR);
                    if (won) {
                        winner.set(i);
                    }
                    return won;
                }), "round " + round);
                locks.unlock(KEY, tokens + winner.get());
            }
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
            Path fresh = files.writeTemp(bytes("fresh"), clock.instant().plus(HOUR), java.nio.file.attribute.FileTime.from(clock.instant()));
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
}
