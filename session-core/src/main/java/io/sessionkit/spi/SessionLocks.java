package io.sessionkit.spi;

import java.time.Duration;

/**
 * Optional capability of a {@link SessionBackend}: a lock per session, for applications whose
 * requests read and then write the same attribute (a cart), which no merge can reconcile. Used
 * when {@code SESSION_LOCKING} is on: the engine takes the lock when a request first uses a
 * stored session and releases it after the save.
 *
 * <p>A lock is held under a token the engine makes up for each request, and for a lease: a
 * holder that dies (its process, its connection) blocks the session for no longer than the
 * lease. Each backend uses its server's own primitive (Redis {@code SET NX PX} and a script to
 * release, memcached {@code add}, a conditional lock attribute or row, a file lock). Thread-safe
 * and safe across processes and nodes sharing the sessions; failures are thrown as
 * {@link io.sessionkit.SessionBackendException}.
 */
public interface SessionLocks {

    /**
     * Takes the lock on a session if nobody holds it, or if its holder's lease has run out.
     * Does not wait: the engine retries until {@code SESSION_LOCK_TIMEOUT}.
     *
     * @param key   the session's key
     * @param token this holder's token; a random, unguessable text
     * @param lease how long the lock holds unless released; positive
     * @return {@code true} when this call took the lock, {@code false} when another holder has it
     */
    boolean tryLock(String key, String token, Duration lease);

    /**
     * Releases the lock if {@code token} still holds it; does nothing otherwise (the lease ran
     * out and another holder may have it now).
     *
     * @param key   the session's key
     * @param token the token the lock was taken with
     */
    void unlock(String key, String token);
}
