package io.sessionkit.spi;

/**
 * Optional capability of a {@link SessionBackend}: a read that also tells when the entry
 * expires, in the same round trip and without changing it (a column or field the backend keeps,
 * Redis {@code PTTL} beside the read, a file's time). With it and
 * {@code SESSION_REFRESH_MIN_INTERVAL}, a request that only reads its session refreshes the
 * expiry (a write on most backends) and re-sends the cookie only when that would move the
 * expiry by at least the interval, so most read-only requests cost one read and no write.
 */
public interface ExpiryReportingLoad {

    /**
     * Reads an entry with its version and expiry, leaving it as it is.
     *
     * @param key the entry's key
     * @return the entry, whose {@link VersionedEntry#expiresAt()} is when it expires unless it is
     *         refreshed or rewritten, and whose version is the one {@link ConditionalWrites}
     *         expects (0 for a backend without conditional writes); or {@code null} when absent
     *         or expired
     */
    VersionedEntry loadWithExpiry(String key);
}
