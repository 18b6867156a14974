package io.sessionkit.core;

/**
 * Hears about what the engine meets in requests that a {@link io.sessionkit.SessionListener} does
 * not: stored data that could not be decoded, sessions refused as too large, conditional writes
 * that lost a race, lock time-outs, the size of each serialized session, requests a binding
 * answered with {@code 503}, and whether the near cache answered a read. Meant for metrics; given to
 * {@link SessionInterface.Builder#observer}. Every method does nothing unless overridden.
 *
 * <p>Methods are called on the request's thread, many requests at a time, at the moment the engine
 * meets the event; they are never given a session id, key or attribute. An implementation must be
 * thread-safe, quick, and must not throw: the request waits for it, and a failure would fail the
 * request.
 */
public interface SessionEngineObserver {

    /** Observes nothing. */
    SessionEngineObserver NONE = new SessionEngineObserver() {
    };

    /**
     * A session was serialized to be written, before {@code SESSION_MAX_SIZE} was checked: once per
     * write, so a save that is retried after a conflict is counted again.
     *
     * @param bytes the serialized size
     */
    default void serialized(int bytes) {
    }

    /**
     * A serialized session was larger than {@code SESSION_MAX_SIZE} and was not written; the
     * request gets a {@link io.sessionkit.SessionTooLargeException}.
     *
     * @param bytes the serialized size
     */
    default void refusedTooLarge(int bytes) {
    }

    /** Stored data could not be decoded and counts as no session (logged as a warning). */
    default void decodeFailed() {
    }

    /**
     * A conditional write (a replace or a delete with {@link io.sessionkit.spi.ConditionalWrites})
     * found the stored record changed by another request since this request read it.
     */
    default void conflictDetected() {
    }

    /** After a conflict, this request's changes were applied to the record now stored, to be written again. */
    default void retriedAfterConflict() {
    }

    /**
     * With {@code SESSION_LOCKING}, the session's lock stayed taken for all of
     * {@code SESSION_LOCK_TIMEOUT}; the request gets a {@link io.sessionkit.SessionLockTimeoutException}.
     */
    default void lockTimedOut() {
    }

    /**
     * A binding (such as the servlet filter) answered a request with {@code 503 Service Unavailable}
     * because the backend failed or the session's lock timed out.
     */
    default void answeredUnavailable() {
    }

    /**
     * With {@code SESSION_NEAR_CACHE} on, a read of a stored session was answered from this
     * process's memory, without asking the store.
     */
    default void nearCacheHit() {
    }

    /**
     * With {@code SESSION_NEAR_CACHE} on, a read of a stored session went to the store: no copy was
     * kept, the copy was not yet confirmed after a change, or the store's invalidation feed was
     * behind or down.
     */
    default void nearCacheMiss() {
    }
}
