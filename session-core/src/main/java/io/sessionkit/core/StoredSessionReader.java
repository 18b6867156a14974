package io.sessionkit.core;

import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import io.sessionkit.spi.VersionedEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.time.Instant;
import java.util.function.Function;

/**
 * What a {@link TrackedSession} asks its engine for: the stored session under an id (locked
 * first with {@code SESSION_LOCKING}), decoded, and treated as absent when it cannot be decoded
 * or has passed its absolute lifetime; new ids; the time and the configured defaults.
 */
final class StoredSessionReader implements SessionSource {

    // Under the engine's name, where an application looks for what its sessions log.
    private static final Logger LOG = LoggerFactory.getLogger(SessionInterface.class);

    /** The one read the backend's capabilities and the configuration call for. */
    @FunctionalInterface
    interface EntryRead {
        /**
         * @return the entry with its version (0 without conditional writes) and, where the read
         *         reports it, its expiry; or {@code null} when absent or expired
         */
        VersionedEntry read(String key);
    }

    private final SessionConfig config;
    private final SessionSerializer serializer;
    private final Function<byte[], SessionRecord> decoder;
    private final SessionIds ids;
    private final LockWaiter lockWaiter;
    private final BackendCalls calls;
    private final SessionBackend backend;
    private final EntryRead entryRead;
    private final String keyPrefix;
    private final SessionEngineObserver observer;

    /**
     * @param decoder    decodes stored bytes with {@code serializer}, or throws when they are no session
     * @param lockWaiter the session locks, or {@code null} without {@code SESSION_LOCKING}
     * @param backend    for deleting a session past its absolute lifetime
     */
    StoredSessionReader(SessionConfig config, SessionSerializer serializer, Function<byte[], SessionRecord> decoder,
                        SessionIds ids, LockWaiter lockWaiter, BackendCalls calls, SessionBackend backend,
                        EntryRead entryRead, SessionEngineObserver observer) {
        this.config = config;
        this.serializer = serializer;
        this.decoder = decoder;
        this.ids = ids;
        this.lockWaiter = lockWaiter;
        this.calls = calls;
        this.backend = backend;
        this.entryRead = entryRead;
        this.keyPrefix = config.keyPrefix();
        this.observer = observer;
    }

    @Override
    public StoredSession load(String id, boolean lock) {
        String key = keyPrefix + id;
        String lockToken = null;
        if (lockWaiter != null && lock) {
            lockToken = ids.newId();
            lockWaiter.acquire(key, lockToken);
        }
        StoredSession stored = null;
        try {
            stored = read(id, lockToken);
            return stored;
        } finally {
            if (stored == null && lockToken != null) {
                lockWaiter.release(key, lockToken); // nothing stored, nothing to protect
            }
        }
    }

    /**
     * Reads and decodes the session stored under {@code id}, without taking its lock.
     *
     * @param lockToken the token of the lock the caller holds, or {@code null}
     * @return the stored session, or {@code null} when there is none to use
     */
    StoredSession read(String id, String lockToken) {
        String key = keyPrefix + id;
        VersionedEntry entry = calls.call("load", () -> entryRead.read(key));
        if (entry == null) {
            return null;
        }
        SessionRecord record = decode(id, entry.value());
        if (record == null) {
            return null;
        }
        if (endedAbsolutely(record)) {
            calls.run("delete", () -> backend.delete(key));
            return null;
        }
        return new StoredSession(record, entry.version(), entry.value(), lockToken, entry.expiresAt());
    }

    private SessionRecord decode(String id, byte[] data) {
        try {
            return decoder.apply(data);
        } catch (RuntimeException e) {
            observer.decodeFailed();
            // The id is a bearer credential: log only enough of it to correlate.
            LOG.warn("Stored session {}{}... could not be decoded as {} ({}); starting a fresh session instead",
                    keyPrefix, id.substring(0, 6), serializer.format(), e.getMessage());
            return null;
        }
    }

    private boolean endedAbsolutely(SessionRecord record) {
        Instant now = config.clock().instant();
        if (record.absoluteExpiry() != null && !now.isBefore(record.absoluteExpiry())) {
            return true;
        }
        Instant ends = record.created() == null ? null : absoluteExpiryOf(record.created());
        return ends != null && !now.isBefore(ends);
    }

    @Override
    public String newId() {
        return ids.newId();
    }

    @Override
    public boolean permanentByDefault() {
        return config.permanent();
    }

    @Override
    public Instant now() {
        return config.clock().instant();
    }

    @Override
    public Instant absoluteExpiryOf(Instant created) {
        return config.absoluteLifetime().map(created::plus).orElse(null);
    }

    @Override
    public boolean tracksReads() {
        return config.failOnConflict();
    }

    @Override
    public <T> T convert(Object value, Type type) {
        return serializer.convert(value, type);
    }
}
