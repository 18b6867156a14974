package io.sessionkit.nullstore;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

/** Provides the {@code null} store: read-only, always empty sessions. */
public final class NullSessionBackendProvider implements SessionBackendProvider {

    /** The type name, {@code null}. */
    public static final String TYPE = "null";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        return new NullSessionBackend(BackendRegistry.load().describeInstalled());
    }
}
