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
 * and besides for a write the conditional replace (the staged value's SET pipelined with
 * EVALSHA: one round trip), for a logout UNLINK, for a new session SET NX; with SESSION_LOCKING
 * the lock and unlock scripts (EVALSHA) on top. {@code INFO commandstats} also counts the
 * commands a script runs inside the server, which cost no round trip: they are named in the
 * comments.
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
        // SET: the staged value, pipelined with EVALSHA; GETRANGE (the header), RENAME, PEXPIRE: inside the script
        return Map.of("getex", 1L, "set", 1L, "evalsha", 1L, "getrange", 1L, "rename", 1L, "pexpire", 1L);
    }

    /** A logout deletes whatever is stored. */
    @Override
    protected Map<String, Long> invalidatingRequestCommands() {
        return Map.of("getex", 1L, "unlink", 1L);
    }

    @Override
    protected Map<String, Long> newSessionCommands() {
        return Map.of("set", 1L);
    }

    @Override
    protected Map<String, Long> lockedReadOnlyRequestCommands() {
        return Map.of("evalsha", 2L, "getex", 1L, "set", 1L, "get", 1L, "del", 1L); // SET NX: lock; GET, DEL: unlock
    }

    @Override
    protected Map<String, Long> lockedModifyingRequestCommands() {
        // and SET (staged), GETRANGE, RENAME, PEXPIRE: replace
        return Map.of("evalsha", 3L, "getex", 1L, "set", 2L, "get", 1L, "getrange", 1L, "rename", 1L, "pexpire", 1L,
                "del", 1L);
    }
}
