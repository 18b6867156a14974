package io.sessionkit.cli;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionSerializer;

/**
 * The store a command works on: the backend that {@code SESSION_TYPE} selects, and the engine
 * on it. The tool keeps the backend itself (the engine only borrows it) because {@code show} and
 * {@code check} read and write raw entries, which the engine's API does not offer.
 */
final class Store implements AutoCloseable {

    private final SessionConfig config;
    private final SessionBackend backend;
    private final SessionSerializer serializer;
    private final SessionInterface engine;

    private Store(SessionConfig config, SessionBackend backend, SessionSerializer serializer, SessionInterface engine) {
        this.config = config;
        this.backend = backend;
        this.serializer = serializer;
        this.engine = engine;
    }

    /**
     * Creates the backend (which validates its keys and, for most stores, connects; the jdbc
     * backend also verifies or creates its table) and the engine on it.
     */
    static Store open(SessionConfig config) {
        SessionBackend backend = BackendRegistry.load().create(config);
        try {
            SessionInterface engine = SessionInterface.builder(config).backend(backend).build();
            return new Store(config, backend, engine.serializer(), engine);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    SessionConfig config() {
        return config;
    }

    String type() {
        return config.type();
    }

    SessionBackend backend() {
        return backend;
    }

    SessionSerializer serializer() {
        return serializer;
    }

    SessionInterface engine() {
        return engine;
    }

    /** The store key of a session id. */
    String key(String id) {
        return config.keyPrefix() + id;
    }

    @Override
    public void close() {
        engine.close();
    }
}
