package io.sessionkit.nullbackend;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

/**
 * Provides {@code SESSION_TYPE=null}: read-only, always empty sessions. The backend has no keys
 * and no client, so there is nothing to read, build or prepare.
 */
public final class NullSessionBackendProvider implements SessionBackendProvider {

    /** The {@code SESSION_TYPE} of this backend. */
    public static final String TYPE = "null";

    /** Creates the provider; it does nothing until {@link #create}. */
    public NullSessionBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        return new NullSessionBackend(BackendRegistry.load().describeInstalled());
    }
}
