package io.sessionkit.core;

import io.sessionkit.spi.SessionRecord;

import java.lang.reflect.Type;

/**
 * What a {@link TrackedSession} needs from the engine, and nothing more: its stored record, a
 * fresh id, the default of the permanent flag and value conversion. The dependency runs one
 * way: the engine hands a session its source; the session never reaches back into the engine.
 */
interface SessionSource {

    /**
     * @param id a well-formed session id
     * @return the stored record, or {@code null} when there is none or it cannot be decoded
     */
    SessionRecord load(String id);

    /**
     * @return a new random session id
     */
    String newId();

    /**
     * @return whether a new session is permanent ({@code SESSION_PERMANENT})
     */
    boolean permanentByDefault();

    /**
     * @param value an attribute value
     * @param type  the type asked for
     * @param <T>   that type
     * @return the value converted by the serializer
     */
    <T> T convert(Object value, Type type);
}
