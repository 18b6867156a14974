package com.example.sessions.memory;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

/**
 * Provides {@code SESSION_TYPE=memory}. Its one key, {@code SESSION_MEMORY_MAX_ENTRIES}
 * (default 100000), bounds how many sessions are kept before expired ones are purged.
 */
public final class MemorySessionBackendProvider implements SessionBackendProvider {

    static final String SESSION_MEMORY_MAX_ENTRIES = "SESSION_MEMORY_MAX_ENTRIES";

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        ConfigReader reader = config.reader();
        int maxEntries = reader.integer(SESSION_MEMORY_MAX_ENTRIES, 100_000, 1, Integer.MAX_VALUE);
        reader.validate();
        return new MemorySessionBackend(config.clock(), maxEntries);
    }
}
