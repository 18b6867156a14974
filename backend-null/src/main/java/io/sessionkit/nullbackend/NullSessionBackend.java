package io.sessionkit.nullbackend;

import io.sessionkit.SessionException;
import io.sessionkit.spi.SessionBackend;

import java.time.Duration;

/**
 * The {@code null} backend: holds nothing. Every session loads empty, so pages that only read
 * the session work; storing data fails with a {@link SessionException} that names the
 * installed backends, since it is a mistake of configuration, not a failing backend. Thread-safe:
 * it has no state and no resources, so {@link #close()} has nothing to release.
 */
public final class NullSessionBackend implements SessionBackend {

    private final String installedTypes;

    /**
     * @param installedTypes the installed backend types with their providers, for the error message
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
        throw new SessionException("No session backend is configured (SESSION_TYPE is '" + NullSessionBackendProvider.TYPE
                + "'), so session data cannot be saved. Set SESSION_TYPE to an installed backend: " + installedTypes);
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
