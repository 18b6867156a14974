package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract against a real memcached server. */
class MemcachedSessionBackendContractTest extends SessionBackendContract {

    private static MemcachedServerProcess server;

    @BeforeAll
    static void startServer() {
        server = MemcachedServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected String type() {
        return "memcached";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_MEMCACHED", server.address());
    }

    @Override
    protected boolean expiresByServerClock() {
        return true;
    }
}
