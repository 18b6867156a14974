package io.sessionkit;

import java.time.Duration;

/**
 * With {@code SESSION_LOCKING} on, the session stayed locked by other requests for longer than
 * {@code SESSION_LOCK_TIMEOUT}: this request did not read or change it. The servlet binding
 * answers {@code 503 Service Unavailable} with {@code Retry-After}.
 */
public class SessionLockTimeoutException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final Duration waited;

    /**
     * @param message what happened
     * @param waited  how long the request waited for the lock
     */
    public SessionLockTimeoutException(String message, Duration waited) {
        super(message);
        this.waited = waited;
    }

    /**
     * @return how long the request waited for the lock
     */
    public Duration waited() {
        return waited;
    }
}
