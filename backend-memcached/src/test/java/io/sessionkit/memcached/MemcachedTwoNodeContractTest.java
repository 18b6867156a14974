package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.MemcachedServerProcess;
import io.sessionkit.testsupport.StoreServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.List;

/**
 * The backend contract on two memcached servers: sessions, and the lock items beside them, are
 * spread over both by their keys, so a session and its lock often live on different servers,
 * and conditional writes, locks and the engine's concurrent requests must still hold.
 */
class MemcachedTwoNodeContractTest extends SessionBackendContract {

    private static List<MemcachedServerProcess> servers;

    @BeforeAll
    static void startServers() {
        servers = List.of(MemcachedServerProcess.start(), MemcachedServerProcess.start());
    }

    @AfterAll
    static void stopServers() {
        StoreServerProcess.closeAll(servers);
    }

    @Override
    protected String type() {
        return "memcached";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_MEMCACHED", servers.get(0).address() + "," + servers.get(1).address());
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
