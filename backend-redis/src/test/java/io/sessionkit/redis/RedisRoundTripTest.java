package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.RedisServerProcess;
import io.sessionkit.testsupport.RoundTripsPerRequestTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/**
 * Counts the commands a request costs through the engine, from {@code INFO commandstats} of a
 * private server that nothing else talks to: GETEX for a read (it also extends the expiry),
 * and SET besides for a write.
 */
class RedisRoundTripTest extends RoundTripsPerRequestTest {

    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_TYPE", "redis").set("SESSION_REDIS", server.url());
    }

    /** Every command but the INFO calls that read the counts. */
    @Override
    protected Map<String, Long> commandCounts() {
        Map<String, Long> calls = server.commandCalls();
        calls.remove("info");
        return calls;
    }

    @Override
    protected Map<String, Long> readOnlyRequestCommands() {
        return Map.of("getex", 1L);
    }

    @Override
    protected Map<String, Long> modifyingRequestCommands() {
        return Map.of("getex", 1L, "set", 1L);
    }
}
