package io.sessionkit.jdbc;

/**
 * Optional capability of a session backend whose store does not drop expired entries by
 * itself: delete them on demand, for example from a scheduled job when the backend's own
 * periodic clean-up is switched off. Discovered with {@code instanceof}.
 *
 * <p>Expired entries are never returned by {@code load} whether or not they were deleted yet;
 * the clean-up only reclaims space. Safe to call from several threads and several nodes at
 * once.
 */
public interface ExpiredSessionCleanup {

    /**
     * Deletes every entry that has expired by now, in bounded batches so that no statement
     * holds locks for long.
     *
     * @return how many entries this call deleted (entries deleted by a concurrent call on
     *         another node are not counted)
     * @throws io.sessionkit.SessionStoreException when the store fails
     */
    int deleteExpired();
}
