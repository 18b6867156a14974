package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionLockTimeoutException;
import io.sessionkit.spi.VersionedEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * How a request waits for its session's lock with {@code SESSION_LOCKING}: for the configured
 * lease, backing off between tries, stopping at once when interrupted, and never leaving a lock
 * behind when the read after it fails.
 */
class LockWaitingTest {

    /**
     * The versioned backend, whose loads fail while {@code down} is set; its locks keep working and
     * note when each was tried.
     */
    private static final class FailingLoads extends CountingMemoryBackend.Versioned {
        volatile boolean down;
        final List<Long> tryLockNanos = new CopyOnWriteArrayList<>();

        @Override
        public synchronized boolean tryLock(String key, String token, Duration lease) {
            tryLockNanos.add(System.nanoTime());
            return super.tryLock(key, token, lease);
        }

        @Override
        public synchronized VersionedEntry loadVersioned(String key) {
            failIfDown();
            return super.loadVersioned(key);
        }

        @Override
        public synchronized VersionedEntry loadVersionedAndTouch(String key, Duration ttl) {
            failIfDown();
            return super.loadVersionedAndTouch(key, ttl);
        }

        private void failIfDown() {
            if (down) {
                throw new IllegalStateException("connection reset");
            }
        }
    }

    private final FailingLoads backend = new FailingLoads();

    private SessionInterface engine(Map<String, ?> settings) {
        return SessionInterface.create(SessionConfig.builder().set("SESSION_LOCKING", "true").fromMap(settings).build(), backend);
    }

    private String storedSession(SessionInterface sessions) {
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        return session.id();
    }

    /** Opens the session in a request that uses it, and so holds its lock until saved. */
    private Session holder(SessionInterface sessions, String id) {
        Session holder = sessions.open(id);
        holder.get("user");
        assertTrue(backend.locks.containsKey("session:" + id));
        return holder;
    }

    @Test
    void theLockIsTakenForTheConfiguredLease() {
        SessionInterface sessions = engine(Map.of("SESSION_LOCK_LEASE", "PT5S"));
        String id = storedSession(sessions);
        Session session = sessions.open(id);
        session.get("user");
        assertEquals(Duration.ofSeconds(5), backend.lastLease);
        sessions.save(session);
    }

    @Test
    void aWaitingRequestBacksOffInsteadOfAskingTheBackendAllTheTime() {
        SessionInterface sessions = engine(Map.of("SESSION_LOCK_TIMEOUT", "PT0.3S"));
        String id = storedSession(sessions);
        Session holder = holder(sessions, id);
        backend.calls.clear();
        backend.tryLockNanos.clear();
        Session waiting = sessions.open(id);
        SessionLockTimeoutException error = assertThrows(SessionLockTimeoutException.class, waiting::isEmpty);
        assertTrue(error.waited().compareTo(Duration.ofMillis(300)) >= 0, error.waited().toString());
        // Pauses of 2, 4, 8, 16, 32 ms and then 50 ms each, the last one cut to what is left: about a
        // dozen tries in 300 ms however fast the backend answers, and no burst of tries in the last
        // millisecond of the wait.
        int tries = backend.callsStartingWith("tryLock").size();
        assertTrue(tries >= 2 && tries <= 15, tries + " tries");
        for (int i = 1; i < backend.tryLockNanos.size(); i++) {
            long pause = backend.tryLockNanos.get(i) - backend.tryLockNanos.get(i - 1);
            assertTrue(pause >= 900_000, "try " + (i + 1) + " came " + pause + " ns after the one before");
        }
        sessions.save(holder);
    }

    @Test
    void anInterruptedWaitStopsAtOnceAndKeepsTheThreadInterrupted() {
        SessionInterface sessions = engine(Map.of("SESSION_LOCK_TIMEOUT", "PT10S"));
        String id = storedSession(sessions);
        Session holder = holder(sessions, id);
        Session waiting = sessions.open(id);
        Thread.currentThread().interrupt();
        try {
            SessionLockTimeoutException error = assertThrows(SessionLockTimeoutException.class, waiting::isEmpty);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            assertEquals("interrupted while waiting for the session's lock", error.getMessage());
            assertFalse(error.waited().isNegative(), error.waited().toString());
            assertTrue(error.waited().compareTo(Duration.ofSeconds(5)) < 0, "did not wait for the timeout: " + error.waited());
        } finally {
            Thread.interrupted();
        }
        sessions.save(holder);
    }

    @Test
    void aReadThatFailsAfterTheLockWasTakenReleasesTheLock() {
        SessionInterface sessions = engine(Map.of("SESSION_LOCK_TIMEOUT", "PT0.2S"));
        String id = storedSession(sessions);
        backend.down = true;
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> sessions.open(id).get("user"));
        assertEquals("load", error.operation());
        assertTrue(backend.locks.isEmpty(), "the lock is released with the failure, not left to its lease");
        backend.down = false;
        assertEquals("ada", sessions.open(id).get("user"), "the next request does not wait");
    }
}
