package io.sessionkit;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server-side session of one browser, as application code sees it: a {@code Map} of
 * attribute names to values plus the session's life-cycle operations.
 *
 * <h2>Values</h2>
 * Values must be representable in the configured serialization format (JSON by default):
 * strings, numbers, booleans, {@code null}, lists, maps and plain objects (records,
 * beans) that Jackson can write. After a round trip through the backend an object comes back
 * in its generic form (a {@code Map}, a {@code List}, a {@code Number}); read it back in its
 * own type with {@link #get(String, Class)} or {@link #get(String, Type)}.
 *
 * <h2>Modification tracking</h2>
 * {@code put}, {@code remove}, {@code clear} and the other mutating {@code Map} methods mark
 * the session modified and record the key in {@link #changedKeys()} or
 * {@link #removedKeys()}. A change <em>inside</em> a value (adding to a list stored in the
 * session, say) cannot be seen; call {@link #markModified(String)} after it:
 * <pre>{@code
 * List<Object> items = (List<Object>) session.get("cart");
 * items.add("apple");
 * session.markModified("cart");
 * }</pre>
 *
 * <h2>Laziness</h2>
 * A session is loaded from its backend on first use: a request that never touches its
 * session costs no round trip to the backend. Any read counts as use ({@code get},
 * {@code containsKey}, {@code size}, {@link #id()}, ...), and makes the response carry
 * {@code Vary: Cookie}.
 *
 * <h2>Threads and errors</h2>
 * A session belongs to one request and is not thread-safe. The first use may throw
 * {@link SessionBackendException} when the backend cannot be reached.
 */
public interface Session extends Map<String, Object> {

    /**
     * The session id: the value the cookie will carry (before signing). A new session gets
     * a fresh random id; an id sent by the browser is adopted only if the backend holds it.
     *
     * @return the id, never {@code null}
     */
    String id();

    /**
     * Whether this session was created during this request rather than loaded from the
     * backend.
     *
     * @return {@code true} for a session the backend does not hold yet
     */
    boolean isNew();

    /**
     * Whether the session must be written back at the end of the request: an attribute was
     * set or removed, {@link #markModified()} was called, the permanent flag changed, or the
     * session was regenerated.
     *
     * @return {@code true} when the session will be saved
     */
    boolean isModified();

    /**
     * Whether the session was read or written during this request; such a response varies
     * by cookie.
     *
     * @return {@code true} once any method but this one has been called
     */
    boolean isAccessed();

    /**
     * Whether the session outlives the browser: a permanent session's cookie carries an
     * expiry of {@code PERMANENT_SESSION_LIFETIME}; a non-permanent one ends when the
     * browser closes. New sessions take the value of {@code SESSION_PERMANENT}.
     *
     * @return the permanent flag
     */
    boolean isPermanent();

    /**
     * Sets the permanent flag; a change marks the session modified.
     *
     * @param permanent the new flag
     */
    void setPermanent(boolean permanent);

    /**
     * When the session was created: the time of the request that first saved it, kept in its
     * stored record. A session stored by a release that did not record it reports the time it
     * was first loaded by this one, and keeps that from its next save on.
     *
     * @return the creation time
     */
    Instant creationTime();

    /**
     * This session's own idle timeout, if one was set with {@link #setMaxInactiveInterval}.
     *
     * @return the timeout, or empty when the session lives {@code PERMANENT_SESSION_LIFETIME}
     *         after each use like every other
     */
    Optional<Duration> maxInactiveInterval();

    /**
     * Gives this session its own idle timeout ("remember me" for a month, a short one for an
     * administrator): its stored record and, for a permanent session, its cookie then live this
     * long after each use instead of {@code PERMANENT_SESSION_LIFETIME}. A change marks the
     * session modified.
     *
     * @param timeout the new timeout, positive; {@code null} returns to
     *                {@code PERMANENT_SESSION_LIFETIME}
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    void setMaxInactiveInterval(Duration timeout);

    /**
     * Marks the whole session modified, for changes made inside values that the session
     * cannot see. Every present key counts as changed.
     */
    void markModified();

    /**
     * Marks one attribute modified, for a change made inside its value.
     *
     * @param key the attribute whose value was changed in place
     */
    void markModified(String key);

    /**
     * Gives the session a new id, keeps its data and deletes the record stored under the old
     * id when the request ends. Call it when the user's privilege changes (on log-in, say),
     * so that an id planted in the browser beforehand is worthless: session-fixation
     * protection.
     */
    void regenerate();

    /**
     * Ends the session: its data is cleared, its stored record deleted and its cookie
     * expired when the request ends. The session can be used again afterwards, as a new
     * empty session with a new id.
     */
    void invalidate();

    /**
     * The attributes set during this request (by {@code put} or {@link #markModified}), in
     * the order first set. A key both set and later removed appears only in
     * {@link #removedKeys()}.
     *
     * @return an unmodifiable view
     */
    Set<String> changedKeys();

    /**
     * The attributes that were present in the stored session and were removed during this
     * request. A key removed and then set again appears only in {@link #changedKeys()}.
     *
     * @return an unmodifiable view
     */
    Set<String> removedKeys();

    /**
     * Reads an attribute converted to the given type, as the serializer would read it back:
     * a {@code Map} read back from JSON becomes a record or bean, a number becomes an
     * {@code Integer}, a {@code Long} or a {@code BigDecimal}, and so on.
     *
     * @param key  the attribute name
     * @param type the wanted type
     * @param <T>  the wanted type
     * @return the converted value, or {@code null} when the attribute is absent or null
     * @throws SessionValueException when the value cannot be converted to {@code type}
     */
    <T> T get(String key, Class<T> type);

    /**
     * Reads an attribute converted to a generic type, such as {@code List<CartItem>}; see
     * {@link #get(String, Class)}.
     *
     * @param key  the attribute name
     * @param type the wanted type, for example from a {@code TypeReference}
     * @param <T>  the wanted type
     * @return the converted value, or {@code null} when the attribute is absent or null
     * @throws SessionValueException when the value cannot be converted to {@code type}
     */
    <T> T get(String key, Type type);
}
