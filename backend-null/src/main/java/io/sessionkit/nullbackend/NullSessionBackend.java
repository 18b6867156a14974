package io.sessionkit.nullbackend;

import io.sessionkit.SessionException;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.VersionedEntry;

import java.time.Duration;

/**
 * The {@code null} backend: holds nothing. Every session loads empty, so pages that only read
 * the session work; storing data fails with a {@link SessionException} that names the
 * installed backends, since it is a mistake of configuration, not a failing backend. Thread-safe:
 * it has no state and no resources, so {@link #close()} has nothing to release.
 *
 * <p>It offers {@link ConditionalWrites} in the same terms (nothing to read, every write refused),
 * so the engine uses it as it uses any backend and does not warn about lost updates that cannot
 * happen where nothing is kept.
 */
public final class NullSessionBackend implements SessionBackend, ConditionalWrites {

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
        throw refusal();
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        return null;
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        return null;
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        throw refusal();
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        throw refusal();
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        return false; // nothing is stored under any key
    }

    private SessionException refusal() {
        return new SessionException("No session backend is configured (SESSION_TYPE is '" + NullSessionBackendProvider.TYPE
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
