package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

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

    /**
     * memcached counts expiry in whole seconds of its own clock, so an item lives between
     * {@code ttl - 1 s} and {@code ttl}: a time to live of 3 s keeps that second well inside the
     * margins of the contract's timing checks.
     */
    @Override
    protected Duration serverClockTimeToLive() {
        return Duration.ofSeconds(3);
    }
}
