package com.example.sessions.memory;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MemorySessionBackendProviderTest {

    @Test
    void aBadLimitNamesTheKeyAndValue() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "memory").set("SESSION_MEMORY_MAX_ENTRIES", "lots").build();
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> BackendRegistry.load().create(config));
        assertEquals("SESSION_MEMORY_MAX_ENTRIES was 'lots' but it must be a whole number of at least 1", error.problems().get(0));
    }
}
