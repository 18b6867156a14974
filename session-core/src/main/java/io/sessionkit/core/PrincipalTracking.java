package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionException;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the backend's {@link PrincipalIndex} in step with the {@code SESSION_PRINCIPAL_KEY}
 * attribute of the sessions the engine writes: set, changed, removed, moved to a new id, and, for
 * an index kept beside the entries, every extension of a session's life.
 */
final class PrincipalTracking {

    private static final Logger LOG = LoggerFactory.getLogger(PrincipalTracking.class);
    /** Longest principal indexed: a user name or an account number, never a document. */
    static final int MAX_PRINCIPAL_LENGTH = 256;
    private static final Duration GONE = Duration.ofSeconds(1);

    private final String attribute;
    private final PrincipalIndex index;
    private final BackendCalls calls;
    private final AtomicBoolean warnedUnindexable = new AtomicBoolean();

    private PrincipalTracking(String attribute, PrincipalIndex index, BackendCalls calls) {
        this.attribute = attribute;
        this.index = index;
        this.calls = calls;
    }

    static PrincipalTracking create(SessionConfig config, SessionBackend backend, String backendName, BackendCalls calls) {
        String attribute = config.principalKey().orElse(null);
        PrincipalIndex index = attribute == null ? null : backend.capability(PrincipalIndex.class).orElse(null);
        if (attribute != null && index == null) {
            LOG.warn("{} is '{}' but the backend '{}' keeps no principal index (it does not offer {}): a user's sessions"
                    + " can be neither listed nor revoked together", ConfigKeys.SESSION_PRINCIPAL_KEY, attribute,
                    backendName, PrincipalIndex.class.getName());
        }
        return new PrincipalTracking(attribute, index, calls);
    }

    /** The index, or {@code null} when no principal key is set or the backend has no index. */
    PrincipalIndex index() {
        return index;
    }

    /** Whether saves are indexed: the key is set and the backend keeps an index. */
    boolean indexing() {
        return index != null;
    }

    /** Whether {@code SESSION_PRINCIPAL_KEY} is set. */
    boolean configured() {
        return attribute != null;
    }

    /**
     * The principal a record names: its attribute's text when that is a string, number or
     * boolean of at most {@value #MAX_PRINCIPAL_LENGTH} characters; otherwise {@code null}, said
     * once in the log.
     */
    String principalOf(SessionRecord record) {
        if (attribute == null || record == null) {
            return null;
        }
        Object value = record.attributes().get(attribute);
        if (value == null) {
            return null;
        }
        String text = value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : null;
        if (text == null || text.isEmpty() || text.length() > MAX_PRINCIPAL_LENGTH) {
            if (warnedUnindexable.compareAndSet(false, true)) {
                LOG.warn("The session attribute '{}' ({}) holds a {} that cannot name a user: sessions whose principal is"
                        + " not a text of 1 to {} characters are left out of the principal index", attribute,
                        ConfigKeys.SESSION_PRINCIPAL_KEY, text == null ? value.getClass().getSimpleName()
                                : "text of " + text.length() + " characters", MAX_PRINCIPAL_LENGTH);
            }
            return null;
        }
        return text;
    }

    /**
     * The principal of the record a request read. The session's attributes are that record's,
     * changed in place, so a principal the request set or removed is read from the stored bytes:
     * a second decode, paid only at a login or logout.
     */
    String storedPrincipal(TrackedSession session, SessionSerializer serializer) {
        StoredSession stored = session.stored();
        if (index == null || stored == null) {
            return null;
        }
        boolean changed = session.changedKeys().contains(attribute) || session.removedKeys().contains(attribute);
        return principalOf(changed ? serializer.deserialize(stored.bytes()) : stored.record());
    }

    /**
     * After a write of {@code key}: records a principal that was set, changed or removed, and, for
     * an index beside the entries, the entry's new life. When the index cannot be written the
     * entry is deleted, so that no session escapes a later {@code revokeAll} of its user. Only
     * while {@link #indexing()}.
     *
     * @param previous the principal of what was stored under {@code key} before, {@code null} for a
     *                 new entry
     */
    void saved(String key, String previous, String current, Duration timeToLive, Runnable deleteEntry) {
        if (Objects.equals(previous, current) && (current == null || index.keptInEntry())) {
            return;
        }
        try {
            calls.run("index", () -> index.assign(key, previous, current, timeToLive));
        } catch (SessionException e) {
            try {
                deleteEntry.run();
            } catch (SessionException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** After an extension of an entry's life: an index beside the entries follows it. Only while {@link #indexing()}. */
    void refreshed(String key, String principal, Duration timeToLive) {
        if (principal != null && !index.keptInEntry()) {
            calls.run("index", () -> index.assign(key, principal, principal, timeToLive));
        }
    }

    /** After a delete of an entry: an index beside the entries forgets it. */
    void deleted(String key, String previous) {
        if (index != null && previous != null && !index.keptInEntry()) {
            calls.run("index", () -> index.assign(key, previous, null, GONE));
        }
    }
}
