package com.example.sessions.memory;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;

class MemoryContractTest extends SessionBackendContract {

    @Override
    protected String type() {
        return "memory";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_MEMORY_MAX_ENTRIES", 1000);
    }
}
