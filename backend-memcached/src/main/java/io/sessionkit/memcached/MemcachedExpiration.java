package io.sessionkit.memcached;

import java.time.Duration;
import java.time.Instant;

/**
 * memcached's expiration argument for a time to live. memcached reads a value up to 30 days
 * as seconds from now and anything larger as an absolute Unix time, so a 31-day lifetime
 * (Flask's default) sent as seconds would be a moment in January 1970 and the item would
 * expire at once. Longer times to live are therefore sent as now plus the time to live.
 *
 * <p>memcached's clock ticks once a second and a relative expiration counts from the last
 * tick, so an item given N seconds lives between N-1 and N seconds. One second is added to
 * relative expirations so that an entry is never dropped before its time to live; it may
 * outlive it by up to a second.
 */
final class MemcachedExpiration {

    /** The largest value memcached takes as relative seconds (its {@code REALTIME_MAXDELTA}). */
    static final long MAX_RELATIVE_SECONDS = Duration.ofDays(30).toSeconds();

    private MemcachedExpiration() {
    }

    /**
     * @param timeToLive how long the item lives; positive
     * @param now        the current time, as the memcached servers see it
     * @return the expiration to send: relative seconds (never 0, which means "never expire"),
     *         or an absolute Unix time when that would exceed 30 days, capped at the largest
     *         value memcached's 32-bit field holds
     */
    static int of(Duration timeToLive, Instant now) {
        long seconds = Math.max(1, timeToLive.getSeconds() + (timeToLive.getNano() > 0 ? 1 : 0));
        long relative = seconds + 1;
        if (relative <= MAX_RELATIVE_SECONDS) {
            return (int) relative;
        }
        return (int) Math.min(Integer.MAX_VALUE, now.getEpochSecond() + seconds);
    }
}
