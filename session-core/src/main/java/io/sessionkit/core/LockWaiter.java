package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionLockTimeoutException;
import io.sessionkit.spi.SessionLocks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Takes a session's lock for {@code SESSION_LOCKING}, waiting with a growing pause while another
 * request holds it, up to {@code SESSION_LOCK_TIMEOUT}. The wait is measured on the JVM's
 * monotonic clock; the lease is the backend's business.
 */
final class LockWaiter {

    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(2).toNanos();
    private static final long LONGEST_PAUSE_NANOS = Duration.ofMillis(50).toNanos();

    /** Runs one backend call, translating a client failure into the engine's exception. */
    interface StoreCalls {
        boolean call(String operation, BooleanSupplier call);
    }

    private final SessionLocks locks;
    private final Duration timeout;
    private final Duration lease;
    private final StoreCalls store;
    private final SessionEngineObserver observer;

    LockWaiter(SessionLocks locks, Duration timeout, Duration lease, StoreCalls store, SessionEngineObserver observer) {
        this.locks = locks;
        this.timeout = timeout;
        this.lease = lease;
        this.store = store;
        this.observer = observer;
    }

    /**
     * @param key   the session's key
     * @param token this request's token
     * @throws SessionLockTimeoutException when the lock stayed taken for the whole timeout
     */
    void acquire(String key, String token) {
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        while (!store.call("lock", () -> locks.tryLock(key, token, lease))) {
            long waited = System.nanoTime() - start;
            long left = timeout.toNanos() - waited;
            if (left <= 0) {
                observer.lockTimedOut();
                throw new SessionLockTimeoutException("the session stayed locked by other requests for longer than "
                        + ConfigKeys.SESSION_LOCK_TIMEOUT + "=" + timeout + "; this request did not use it. Requests of one"
                        + " session run one at a time with " + ConfigKeys.SESSION_LOCKING + " on: look for slow requests,"
                        + " or raise the timeout", Duration.ofNanos(waited));
            }
            try {
                // Not Thread.sleep(millis): under a millisecond left, that would be sleep(0) and a busy loop of tryLock.
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionLockTimeoutException("interrupted while waiting for the session's lock",
                        Duration.ofNanos(System.nanoTime() - start));
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
    }

    /**
     * Releases the lock; a failure is left to the lease.
     *
     * @param key   the session's key
     * @param token the token the lock was taken with
     */
    void release(String key, String token) {
        store.call("unlock", () -> {
            locks.unlock(key, token);
            return true;
        });
    }
}
