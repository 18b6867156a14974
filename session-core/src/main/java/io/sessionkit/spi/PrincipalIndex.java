package io.sessionkit.spi;

import java.time.Duration;
import java.util.List;

/**
 * Optional capability of a {@link SessionBackend}: an index from a principal (the logged-in
 * user that {@code SESSION_PRINCIPAL_KEY} names) to the entries of that principal's sessions, so
 * that the engine can list a user's sessions and end them all ("log me out everywhere").
 *
 * <p>The index lives in the backend and <em>expires with the entries</em>: an entry that expired
 * or was deleted is never listed, with no background listener that could miss an event. A
 * backend keeps the principal either in the entry itself ({@link #keptInEntry()}: a column with
 * a database index, a document field, a DynamoDB attribute with a global secondary index), where
 * it dies with the entry and follows its expiry by construction, or beside it (a Redis sorted set
 * per principal scored by expiry), where the engine also reports each refresh of an entry's
 * expiry through {@link #assign}.
 *
 * <p>The engine calls {@link #assign} after the write that stored the entry, whenever the
 * principal attribute was set, changed or removed, and for a new id after a regenerate. Methods
 * are thread-safe and safe across processes and nodes sharing the sessions; failures are thrown
 * as {@link io.sessionkit.SessionBackendException}.
 */
public interface PrincipalIndex {

    /**
     * Records which principal an entry belongs to. Does nothing to an absent entry for a
     * backend that keeps the principal in the entry; a backend that keeps the index beside the
     * entries may list a dead key for a while (its {@link #entriesOf} skips keys that are absent).
     *
     * @param key        the entry's key, written just before
     * @param previous   the principal recorded for it before, or {@code null} for none
     * @param principal  the principal it belongs to now, or {@code null} for none
     * @param timeToLive the entry's time to live from now; positive
     */
    void assign(String key, String previous, String principal, Duration timeToLive);

    /**
     * The live entries of a principal, in no particular order. Expired and deleted entries are
     * not listed; a backend that keeps the index beside the entries removes their traces.
     *
     * @param principal the principal
     * @return the entries, each with its bytes and expiry
     */
    List<ListedEntry> entriesOf(String principal);

    /**
     * Whether the principal is kept in the entry itself, so that deleting the entry or letting it
     * expire removes it from the index, and refreshing its expiry needs no call of {@link #assign}.
     * When {@code false}, the engine calls {@link #assign} (with {@code previous} equal to
     * {@code principal}) each time it refreshes the expiry of a session that has a principal.
     *
     * @return {@code true} for an index kept in the entries
     */
    boolean keptInEntry();
}
