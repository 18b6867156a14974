package io.sessionkit.spi;

import java.time.Duration;
import java.util.List;

/**
 * Optional capability of a {@link SessionBackend}: the store tells this process which entries
 * changed, so that copies of them kept in memory ({@code SESSION_NEAR_CACHE}) can be dropped
 * before they are served again (Redis server-assisted client-side caching, say).
 *
 * <p>A feed must tell every change of a subscribed entry, whoever made it (this process
 * included) and however (a write, a refresh of its expiry, a deletion, an expiry, an eviction),
 * after the change is made and before, or at worst about when, the writer hears that it was made.
 * When it cannot vouch for that any more (its connection broke), it says so with
 * {@link InvalidationListener#lost()} at once, and says {@link InvalidationListener#live()} only
 * once it tells every change again.
 *
 * <p>A backend with this capability must also offer {@link ConditionalWrites} and
 * {@link ExpiryReportingLoad}, whose versions are the ones this interface speaks of.
 */
public interface InvalidationFeed {

    /**
     * Starts telling the changes of the entries whose keys start with {@code keyPrefix}, on a
     * thread of the backend's, until the returned subscription is closed. The listener first
     * hears {@link InvalidationListener#live()} once the feed is established.
     *
     * @param keyPrefix the prefix of the keys to tell ({@code SESSION_KEY_PREFIX})
     * @param listener  hears the changes; its methods must be quick and must not throw
     * @return the subscription; closing it stops the feed and releases its connection
     */
    Subscription subscribe(String keyPrefix, InvalidationListener listener);

    /**
     * The version {@link ConditionalWrites} would report for an entry holding {@code value}, so
     * that a process can keep using an entry it wrote itself without reading it back.
     *
     * @param value an entry's bytes
     * @return their version
     */
    long versionOf(byte[] value);

    /**
     * The current versions of some entries, in one round trip: a process asks after the feed told
     * a change it may have made itself, to tell its own writes from another's.
     *
     * @param keys the entries' keys
     * @return for each key in order, its version, or {@code null} when the entry is absent
     */
    List<Long> currentVersions(List<String> keys);

    /** A running feed. */
    interface Subscription extends AutoCloseable {

        /**
         * Whether everything the store has sent this process so far has been told: nothing
         * received waits in a buffer or is being told. A copy is served only once everything
         * received before the read began has been told ({@link #awaitCaughtUp}, which by default
         * asks this), so that a change whose telling has already arrived, but is not yet told, is
         * never missed (the store sends it before the writer's answer). Asked on reads answered
         * from memory, so it must cost no round trip.
         *
         * @return {@code true} when nothing received is still to be told
         */
        boolean caughtUp();

        /**
         * Waits, at most {@code patience}, until everything the store had sent this process when
         * the call began has been told; what arrives meanwhile need not be, since it tells changes
         * made after the read that waits began. A read that finds the feed behind waits here before
         * it asks the store: the telling it waits for is usually told sooner than a round trip
         * would take, and under a steady stream of changes the feed may never be wholly
         * {@linkplain #caughtUp() caught up} at the moment a read looks. By default it does not wait
         * and answers {@link #caughtUp()}, which implies it; a feed whose reading thread can wake
         * the waiting ones overrides it.
         *
         * @param patience the longest wait
         * @return {@code true} when everything received before the call has been told,
         *         {@code false} when not after {@code patience} or when not connected
         */
        default boolean awaitCaughtUp(Duration patience) {
            return caughtUp();
        }

        /** Stops the feed and releases its connection; the listener hears {@code lost}. */
        @Override
        void close();
    }
}
