package io.sessionkit.servlet;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

/**
 * Store type {@value #TYPE}: the filesystem store behind an {@link ObservedBackend}, found through
 * {@code ServiceLoader} like any store, so tests can watch an engine the filter builds itself.
 */
public final class ObservedBackendProvider implements SessionBackendProvider {

    static final String TYPE = "observed-filesystem";
    private static volatile ObservedBackend lastCreated;

    static ObservedBackend lastCreated() {
        return lastCreated;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        SessionBackend filesystem = BackendRegistry.load().provider("filesystem").create(config);
        ObservedBackend observed = new ObservedBackend(filesystem);
        lastCreated = observed;
        return observed;
    }
}
