package io.sessionkit.spi;

/**
 * Optional capability of a {@link SessionBackend} whose storage does not drop expired entries by
 * itself (a SQL table, a directory): delete them on demand. The engine hands it out with
 * {@link io.sessionkit.core.SessionInterface#capability(Class)}, so that an application can run
 * it from its own scheduler when the backend's periodic clean-up is switched off.
 *
 * <p>Expired entries are never returned by {@link SessionBackend#load} whether or not they were
 * deleted yet; the clean-up only reclaims space. Safe to call from several threads and several
 * nodes at once.
 */
public interface ExpiredSessionCleanup {

    /**
     * Deletes every entry that has expired by now, in bounded batches so that no single
     * operation holds the table or directory for long.
     *
     * @return how many entries this call deleted (entries deleted by a concurrent call, here or
     *         on another node, are not counted)
     * @throws io.sessionkit.SessionBackendException when the backend fails
     */
    int deleteExpired();
}
