package io.sessionkit.spi;

/**
 * Optional capability of a {@link SessionBackend}: counting and listing the live entries under a
 * key prefix, page by page, with the backend's own scan (Redis {@code SCAN} on every master, a
 * SQL query, a MongoDB or DynamoDB scan, the directory). Never holds all keys in memory at once.
 *
 * <p>Only session entries are counted and listed: a backend's lock entries or index entries
 * under the same prefix are not. A listing is not a snapshot: an entry written or deleted while
 * the pages are read may or may not appear. Failures are thrown as
 * {@link io.sessionkit.SessionBackendException}.
 */
public interface SessionListing {

    /**
     * Counts the live entries whose key starts with {@code keyPrefix}.
     *
     * @param keyPrefix the engine's {@code SESSION_KEY_PREFIX}
     * @return how many there are
     */
    long count(String keyPrefix);

    /**
     * Reads one page of live entries whose key starts with {@code keyPrefix}.
     *
     * @param keyPrefix the engine's {@code SESSION_KEY_PREFIX}
     * @param cursor    {@code null} for the first page, else the {@link ListedPage#nextCursor()} of
     *                  the page before
     * @param limit     the most entries the page holds; positive. A page may hold fewer (even none)
     *                  and still have a next one.
     * @return the page
     * @throws IllegalArgumentException when {@code cursor} was not made by this backend
     */
    ListedPage list(String keyPrefix, String cursor, int limit);
}
