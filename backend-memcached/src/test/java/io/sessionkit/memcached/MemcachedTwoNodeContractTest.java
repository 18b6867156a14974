package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.MemcachedServerProcess;
import io.sessionkit.testsupport.StoreServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
