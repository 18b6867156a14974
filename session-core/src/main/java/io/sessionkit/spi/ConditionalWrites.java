package io.sessionkit.spi;

import java.time.Duration;

/**
 * Optional capability of a {@link SessionBackend}: writes that succeed only when the entry is
 * still as the writer last read it, each one atomic where the entry is kept (a Redis script,
 * memcached's {@code gets}/{@code cas} and {@code add}, {@code UPDATE ... WHERE version = ?}, a
 * MongoDB filter on the version, a DynamoDB {@code ConditionExpression}, a locked
 * compare-and-rename of a file).
 *
 * <p>With it the engine never loses an update: a save whose version is stale re-reads the
 * entry, applies the request's own changes on top and tries again, and a save never recreates
 * an entry that was deleted after the request read it (a logout, say). Without it, saves are
 * blind overwrites and the last request to finish wins; the engine logs that once at start-up.
 *
 * <p>Every method is one round trip where the backend's server allows it, thread-safe and safe
 * across processes and nodes sharing the sessions. Expiry is as for {@link SessionBackend}: an
 * expired entry counts as absent for every method here. Failures are thrown as
 * {@link io.sessionkit.SessionBackendException}.
 */
public interface ConditionalWrites {

    /**
     * Reads an entry with its version.
     *
     * @param key the entry's key
     * @return the entry, or {@code null} when absent or expired
     */
    VersionedEntry loadVersioned(String key);

    /**
     * Reads an entry with its version and, when present, sets its time to live to
     * {@code timeToLive} from now, like {@link TouchingLoad#loadAndTouch}; the version is the
     * one a following {@link #replace} must name (extending the life is not a change of the
     * entry). The engine reads through this method only when the backend also offers
     * {@link TouchingLoad}, whose presence says that a read extends the life at no extra cost;
     * otherwise it reads with {@link #loadVersioned} and extends the life only of a request that
     * does not save.
     *
     * @param key        the entry's key
     * @param timeToLive the new time to live; positive
     * @return the entry, or {@code null} when absent or expired
     */
    VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive);

    /**
     * Writes an entry only if there is none (an expired one counts as none).
     *
     * @param key        the entry's key
     * @param value      the bytes; the backend must not modify them
     * @param timeToLive how long the entry lives from now; positive
     * @return {@code true} when written, {@code false} when an entry already exists
     */
    boolean create(String key, byte[] value, Duration timeToLive);

    /**
     * Replaces an entry only if its version is still {@code expectedVersion}.
     *
     * @param key             the entry's key
     * @param expectedVersion the version read with {@link #loadVersioned} or
     *                        {@link #loadVersionedAndTouch}
     * @param value           the new bytes; the backend must not modify them
     * @param timeToLive      how long the entry lives from now; positive
     * @return {@code true} when replaced, {@code false} when the entry is absent, expired or of
     *         another version
     */
    boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive);

    /**
     * Deletes an entry only if its version is still {@code expectedVersion}.
     *
     * @param key             the entry's key
     * @param expectedVersion the version read with {@link #loadVersioned} or
     *                        {@link #loadVersionedAndTouch}
     * @return {@code true} when deleted, {@code false} when the entry is absent, expired or of
     *         another version
     */
    boolean delete(String key, long expectedVersion);
}
