package io.sessionkit.spi;

import java.lang.reflect.Type;

/**
 * Turns a session into bytes for the backend and back. Selected by
 * {@code SESSION_SERIALIZATION_FORMAT} among the implementations found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.sessionkit.spi.SessionSerializer});
 * SessionKit ships {@code json}.
 *
 * <p>Implementations are thread-safe, have a public no-argument constructor, and must never
 * instantiate a class named by the data (no Java serialization, no polymorphic typing):
 * session bytes are attacker-reachable input if the server or files that hold them are.
 */
public interface SessionSerializer {

    /**
     * @return the value of {@code SESSION_SERIALIZATION_FORMAT} that selects this serializer
     */
    String format();

    /**
     * @param record the session to write
     * @return its serialized form
     * @throws io.sessionkit.SessionValueException when an attribute cannot be represented
     */
    byte[] serialize(SessionRecord record);

    /**
     * @param data bytes read from the backend
     * @return the session they hold
     * @throws RuntimeException of any kind when the bytes are not a session this serializer
     *                          wrote; the engine then treats the session as absent and logs
     *                          the exception's message at WARN, so the message must say what
     *                          is wrong without quoting the bytes (they are session data).
     *                          Bytes are untrusted input: bound what they may cost (size,
     *                          nesting) and throw rather than fail with an {@link Error}
     */
    SessionRecord deserialize(byte[] data);

    /**
     * Converts an attribute value, as read back by {@link #deserialize} or as put by the
     * application, to the type asked for by {@link io.sessionkit.Session#get(String, Class)}.
     *
     * @param value the value, not {@code null}
     * @param type  the wanted type
     * @param <T>   the wanted type
     * @return the converted value
     * @throws io.sessionkit.SessionValueException when it cannot be converted
     */
    <T> T convert(Object value, Type type);
}
