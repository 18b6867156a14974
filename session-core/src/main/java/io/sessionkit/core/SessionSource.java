package io.sessionkit.core;

import java.lang.reflect.Type;
import java.time.Instant;

/**
 * What a {@link TrackedSession} needs from the engine, and nothing more: its stored record, a
 * fresh id, defaults, the time and value conversion. The dependency runs one way: the engine
 * hands a session its source; the session never reaches back into the engine.
 */
interface SessionSource {

    /**
     * Reads a stored session, first taking its lock when {@code SESSION_LOCKING} is on and the
     * request wants it.
     *
     * @param id   a well-formed session id
     * @param lock whether to take the session's lock (ignored unless {@code SESSION_LOCKING} is on)
     * @return the stored session, or {@code null} when there is none, it has expired or it
     *         cannot be decoded (then no lock is held)
     */
    StoredSession load(String id, boolean lock);

    /**
     * @return a new random session id
     */
    String newId();

    /**
     * @return whether a new session is permanent ({@code SESSION_PERMANENT})
     */
    boolean permanentByDefault();

    /**
     * @return now, by the configuration's clock
     */
    Instant now();

    /**
     * @param created when a session was created
     * @return when it ends under {@code SESSION_ABSOLUTE_LIFETIME}, or {@code null} when that is off
     */
    Instant absoluteExpiryOf(Instant created);

    /**
     * @return whether sessions must remember which attributes they read, for
     *         {@code SESSION_CONFLICT=fail}
     */
    boolean tracksReads();

    /**
     * @param value an attribute value
     * @param type  the type asked for
     * @param <T>   that type
     * @return the value converted by the serializer
     */
    <T> T convert(Object value, Type type);
}
