package io.sessionkit.core;

import io.sessionkit.SessionConflictException;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import io.sessionkit.spi.VersionedEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Saves with a backend's {@link ConditionalWrites}, so that concurrent requests of one session
 * never lose each other's changes: a new session is created only if its id is free; a stored one
 * is replaced only if it is still the version this request read, and otherwise read again, this
 * request's change set applied on top of what is there now, and tried again. A record deleted
 * after this request read it (a logout, an expiry, a regeneration) is never recreated.
 */
final class VersionedSave {

    private static final Logger LOG = LoggerFactory.getLogger(VersionedSave.class);
    /**
     * Each failed replace means another save of the session succeeded, so n concurrent savers
     * need at most n attempts each; this bound is far above the concurrency of one browser.
     */
    static final int MAX_ATTEMPTS = 32;

    /** Runs one backend call, translating a client failure into the engine's exception. */
    interface StoreCalls {
        <T> T call(String operation, Supplier<T> call);
    }

    private final ConditionalWrites writes;
    private final SessionSerializer serializer;
    private final Function<SessionRecord, byte[]> encoder;
    private final Function<SessionRecord, Duration> timeToLive;
    private final boolean failOnConflict;
    private final StoreCalls store;
    private final SessionEngineObserver observer;

    /**
     * @param encoder    serializes a record and enforces {@code SESSION_MAX_SIZE}
     * @param timeToLive the time to live in the backend of a record saved now
     */
    VersionedSave(ConditionalWrites writes, SessionSerializer serializer, Function<SessionRecord, byte[]> encoder,
                  Function<SessionRecord, Duration> timeToLive, boolean failOnConflict, StoreCalls store,
                  SessionEngineObserver observer) {
        this.writes = writes;
        this.serializer = serializer;
        this.encoder = encoder;
        this.timeToLive = timeToLive;
        this.failOnConflict = failOnConflict;
        this.store = store;
        this.observer = observer;
    }

    /**
     * Saves a stored session's changes.
     *
     * @param key     the session's key
     * @param session the session, read from the backend under {@code key} by this request
     * @return {@code false} when the record was deleted after this request read it: nothing was
     *         saved and the session is over
     * @throws SessionConflictException with {@code SESSION_CONFLICT=fail} when another request
     *                                  changed an attribute this request read and wrote, or
     *                                  when the save lost the race {@value #MAX_ATTEMPTS} times
     */
    boolean replace(String key, TrackedSession session) {
        StoredSession read = session.stored();
        SessionRecord record = session.toRecord();
        long expected = read.storeVersion();
        for (int attempt = 1; ; attempt++) {
            byte[] data = encoder.apply(record);
            long version = expected;
            SessionRecord toSave = record;
            if (store.call("save", () -> writes.replace(key, version, data, timeToLive.apply(toSave)))) {
                return true;
            }
            observer.conflictDetected();
            VersionedEntry current = store.call("load", () -> writes.loadVersioned(key));
            SessionRecord now = current == null ? null : decode(current.value());
            if (now == null) {
                LOG.debug("session record was deleted while a request used it; its changes are dropped, not saved");
                return false;
            }
            checkConflicts(session, read, now);
            if (attempt == MAX_ATTEMPTS) {
                throw new SessionConflictException("the session was saved by other requests " + MAX_ATTEMPTS
                        + " times while this request tried to save it; its changes were not saved", Set.of());
            }
            LOG.debug("session record changed while a request used it; merging its changes, attempt {}", attempt + 1);
            observer.retriedAfterConflict();
            record = session.mergeOnto(now);
            expected = current.version();
            pause(attempt);
        }
    }

    /**
     * Deletes a stored session that this request emptied, unless another request has put
     * something in it meanwhile: then this request's removals are applied to what is there.
     *
     * @return {@code true} when the record is gone, {@code false} when it lives on with the other
     *         request's attributes
     */
    boolean deleteEmptied(String key, TrackedSession session) {
        StoredSession read = session.stored();
        long expected = read.storeVersion();
        for (int attempt = 1; ; attempt++) {
            long version = expected;
            if (store.call("delete", () -> writes.delete(key, version))) {
                return true;
            }
            observer.conflictDetected();
            VersionedEntry current = store.call("load", () -> writes.loadVersioned(key));
            SessionRecord now = current == null ? null : decode(current.value());
            if (now == null) {
                return true;
            }
            checkConflicts(session, read, now);
            SessionRecord merged = session.mergeOnto(now);
            if (!merged.attributes().isEmpty()) {
                byte[] data = encoder.apply(merged);
                long mergedOn = current.version();
                if (store.call("save", () -> writes.replace(key, mergedOn, data, timeToLive.apply(merged)))) {
                    return false;
                }
                observer.conflictDetected();
                if (attempt == MAX_ATTEMPTS) {
                    throw new SessionConflictException("the session was saved by other requests " + MAX_ATTEMPTS
                            + " times while this request tried to empty it; its changes were not saved", Set.of());
                }
            }
            observer.retriedAfterConflict();
            expected = current.version();
            pause(attempt);
        }
    }

    private void checkConflicts(TrackedSession session, StoredSession read, SessionRecord now) {
        if (!failOnConflict) {
            return;
        }
        SessionRecord original = decode(read.bytes());
        Set<String> conflicts = original == null ? Set.of() : session.conflictsWith(original, now);
        if (!conflicts.isEmpty()) {
            throw new SessionConflictException("another request changed " + conflicts + " while this request read and"
                    + " changed them (SESSION_CONFLICT=fail); nothing was saved", conflicts);
        }
    }

    private SessionRecord decode(byte[] data) {
        try {
            return serializer.deserialize(data);
        } catch (RuntimeException e) {
            // Undecodable data counts as no session, as it does when a request reads it.
            observer.decodeFailed();
            return null;
        }
    }

    /** Spreads racing savers apart after their first retry, so that they stop colliding. */
    private static void pause(int attempt) {
        if (attempt > 1) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000L * Math.min(attempt, 20)));
        }
    }
}
