package io.sessionkit.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link SessionSerializer} writes and reads: one session's envelope. Every serializer
 * writes all of its fields; their JSON form is described in {@code docs/concurrency.md}.
 *
 * @param attributes     the attributes, never {@code null}; the serializer's reader returns a
 *                       mutable map the engine takes ownership of
 * @param permanent      whether the session's cookie outlives the browser
 * @param version        how many times the session was saved: 1 for its first save, one more
 *                       for each save after it; 0 for a record written before records carried
 *                       a version
 * @param created        when the session was created, or {@code null} when a record written
 *                       before records carried it does not say
 * @param maxInactive    this session's own idle timeout, replacing
 *                       {@code PERMANENT_SESSION_LIFETIME} for it, or {@code null}
 * @param absoluteExpiry when the session ends however often it is used, or {@code null}
 */
public record SessionRecord(Map<String, Object> attributes, boolean permanent, long version, Instant created,
                            Duration maxInactive, Instant absoluteExpiry) {

    /**
     * The longest idle timeout or lifetime a session may have: 100 years, far beyond any cookie's
     * life (browsers keep one at most 400 days), and short enough that no expiry computed from
     * it overflows.
     */
    public static final Duration LONGEST_LIFETIME = Duration.ofDays(36_500);

    /**
     * @throws NullPointerException     when {@code attributes} is {@code null}
     * @throws IllegalArgumentException when {@code version} is negative or {@code maxInactive}
     *                                  is not positive or longer than {@link #LONGEST_LIFETIME}
     */
    public SessionRecord {
        Objects.requireNonNull(attributes, "attributes");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative: " + version);
        }
        if (maxInactive != null && (maxInactive.isNegative() || maxInactive.isZero())) {
            throw new IllegalArgumentException("maxInactive must be positive: " + maxInactive);
        }
        if (maxInactive != null && maxInactive.compareTo(LONGEST_LIFETIME) > 0) {
            throw new IllegalArgumentException("maxInactive must be at most " + LONGEST_LIFETIME + ": " + maxInactive);
        }
    }

    /**
     * A record as written before records carried a version: version 0, no times.
     *
     * @param attributes the attributes
     * @param permanent  the permanent flag
     */
    public SessionRecord(Map<String, Object> attributes, boolean permanent) {
        this(attributes, permanent, 0, null, null, null);
    }
}
