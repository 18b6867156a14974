package io.sessionkit.spi;

import java.util.function.Consumer;

/**
 * Optional capability of a {@link SessionBackend}: tell which entries expired, so that the
 * engine can report them as expired sessions ({@link io.sessionkit.SessionListener#expired}).
 * A backend has it where it can tell cheaply: a clean-up that deletes expired entries and can
 * say which (the {@code jdbc} store), or a server that announces expiries (Redis keyspace
 * notifications, when switched on).
 *
 * <p>The engine calls {@link #reportExpiredTo} once, when it first has a listener, since
 * telling may cost the backend more (reading the keys it deletes, a subscription). Reports are
 * best effort: an expiry the backend could not observe (its clean-up off, a notification lost
 * while disconnected) is not reported later.
 */
public interface ExpiryNotifications {

    /**
     * Starts telling which entries expired.
     *
     * @param expired called with the key of each entry found expired and removed, once, after
     *                the removal, on a thread of the backend's (its clean-up's, its
     *                subscription's); it does not throw
     */
    void reportExpiredTo(Consumer<String> expired);
}
