package io.sessionkit.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A session backend: the pluggable place sessions are kept, as opaque bytes under string keys,
 * each with a time to live.
 *
 * <p>The engine calls a backend from many request threads at once, so an implementation must
 * be thread-safe. Keys reaching a backend are always {@code SESSION_KEY_PREFIX} followed by a
 * well-formed session id (base64url characters only); a backend never sees raw cookie input.
 *
 * <p>Failures to reach or use the backend's server are thrown as
 * {@link io.sessionkit.SessionBackendException} naming the backend type and the operation.
 * Expiry is the backend's duty: an entry past its time to live must never be returned by
 * {@link #load}, even if the server has not deleted it yet. Backends that check expiry
 * themselves read the time from {@link io.sessionkit.core.SessionConfig#clock()}, so that tests
 * can move time forward.
 *
 * <h2>Capabilities</h2>
 * What a backend can do beyond these five operations is an optional capability: a small
 * interface of this package, such as {@link TouchingLoad} or {@link ExpiredSessionCleanup},
 * handed out by {@link #capability(Class)}. A backend either implements the interface itself
 * or, better when the capability has state or code of its own, returns one small object per
 * capability. The engine asks once, at start-up; a backend without a capability still works,
 * and the engine says what it cannot do.
 */
public interface SessionBackend extends AutoCloseable {

    /**
     * Reads an entry.
     *
     * @param key the entry's key
     * @return the bytes last saved under {@code key}, or {@code null} when there are none or
     *         they have expired
     */
    byte[] load(String key);

    /**
     * Writes an entry, replacing any previous one atomically: a reader sees the old bytes
     * or the new ones, never a mix or nothing.
     *
     * @param key        the entry's key
     * @param value      the serialized session; the backend must not modify it
     * @param timeToLive how long the entry lives from now; positive
     */
    void save(String key, byte[] value, Duration timeToLive);

    /**
     * Extends an entry's life to {@code timeToLive} from now without rewriting its bytes.
     * Does nothing when the entry is absent.
     *
     * @param key        the entry's key
     * @param timeToLive how long the entry lives from now; positive
     */
    void touch(String key, Duration timeToLive);

    /**
     * Deletes an entry; does nothing when it is absent.
     *
     * @param key the entry's key
     */
    void delete(String key);

    /**
     * The backend's implementation of an optional capability. The default returns this
     * backend when it implements {@code type} itself; a backend that implements a capability in
     * a separate object overrides this method and returns that object. The answer must not
     * change over the backend's life.
     *
     * @param type the capability interface, such as {@code ExpiredSessionCleanup.class}
     * @param <C>  that interface
     * @return the capability, or empty when this backend does not have it
     */
    default <C> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /**
     * Releases the backend's connections and threads. A client object that was handed in
     * through the configuration belongs to the application and is not closed. Afterwards every
     * operation, those of its capabilities included, fails with a
     * {@link io.sessionkit.SessionBackendException}; the stored data stays. Closing again does
     * nothing.
     */
    @Override
    void close();
}
