package io.sessionkit.nullstore;

import io.sessionkit.SessionException;
import io.sessionkit.spi.SessionBackend;

import java.time.Duration;

/**
 * The {@code null} store: holds nothing. Every session loads empty, so pages that only read
 * the session work; storing data fails with a {@link SessionException} that names the
 * installed stores, since it is a mistake of configuration, not a failing store. Thread-safe:
 * it has no state and no resources, so {@link #close()} has nothing to release.
 */
public final class NullSessionBackend implements SessionBackend {

    private final String installedTypes;

    /**
     * @param installedTypes the installed store types with their providers, for the error message
     */
    NullSessionBackend(String installedTypes) {
        this.installedTypes = installedTypes;
    }

    @Override
    public byte[] load(String key) {
        return null;
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        throw new SessionException("No session store is configured (SESSION_TYPE is '" + NullSessionBackendProvider.TYPE
                + "'), so session data cannot be saved. Set SESSION_TYPE to an installed store: " + installedTypes);
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        // Nothing is stored, so there is nothing to keep alive.
    }

    @Override
    public void delete(String key) {
        // Nothing is stored, so there is nothing to delete.
    }

    @Override
    public void close() {
        // No resources.
    }
}
