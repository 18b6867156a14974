package io.sessionkit.spi;

import io.sessionkit.core.SessionConfig;

/**
 * Creates the {@link SessionBackend} of one {@code SESSION_TYPE}. Providers are found with
 * {@link java.util.ServiceLoader}: a backend jar lists its provider's class name in
 * {@code META-INF/services/io.sessionkit.spi.SessionBackendProvider}.
 *
 * <p>An implementation must have a public no-argument constructor that does no work: all
 * reading of configuration and all connecting happens in {@link #create}.
 */
public interface SessionBackendProvider {

    /**
     * The value of {@code SESSION_TYPE} that selects this provider, such as {@code redis}:
     * lower case, unique among the installed providers.
     *
     * @return the type name
     */
    String type();

    /**
     * Creates the backend from the configuration. Every invalid backend-specific key is
     * reported at once in one {@link io.sessionkit.SessionConfigException} (see
     * {@link io.sessionkit.core.ConfigReader}); a server that cannot be reached at start-up
     * may be reported as a {@link io.sessionkit.SessionBackendException} or left to fail on first
     * use, as the provider documents.
     *
     * @param config the whole configuration; {@link SessionConfig#client(Class)} gives a
     *               client object handed in from code, if any
     * @return a ready, thread-safe backend
     */
    SessionBackend create(SessionConfig config);
}
