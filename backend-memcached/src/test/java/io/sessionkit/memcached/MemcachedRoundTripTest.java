package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.MemcachedServerProcess;
import io.sessionkit.testsupport.RoundTripsPerRequestTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the operations a request costs through the engine, from the {@code stats} counters
 * of a private server that nothing else talks to: get-and-touch for a read, and besides cas
 * for a write, delete for a logout, add for a new session; with SESSION_LOCKING add to lock,
 * gets and delete to unlock on top.
 */
class MemcachedRoundTripTest extends RoundTripsPerRequestTest {

    /** memcached's per-command counters; a get-and-touch counts as a touch, a cas as a set and a cas hit. */
    private static final List<String> COUNTERS = List.of("cmd_get", "cmd_set", "cmd_touch", "delete_hits", "delete_misses",
            "cas_hits", "cas_misses", "cas_badval");

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
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_TYPE", "memcached").set("SESSION_MEMCACHED", server.address());
    }

    @Override
    protected Map<String, Long> commandCounts() {
        Map<String, String> stats = server.stats();
        Map<String, Long> counts = new LinkedHashMap<>();
        COUNTERS.forEach(counter -> counts.put(counter, Long.parseLong(stats.get(counter))));
        return counts;
    }

    @Override
    protected Map<String, Long> readOnlyRequestCommands() {
        return Map.of("cmd_touch", 1L);
    }

    @Override
    protected Map<String, Long> modifyingRequestCommands() {
        return Map.of("cmd_touch", 1L, "cmd_set", 1L, "cas_hits", 1L);
    }

    @Override
    protected Map<String, Long> invalidatingRequestCommands() {
        return Map.of("cmd_touch", 1L, "delete_hits", 1L);
    }

    /** add */
    @Override
    protected Map<String, Long> newSessionCommands() {
        return Map.of("cmd_set", 1L);
    }

    /** add (lock), get-and-touch, gets and delete (unlock) */
    @Override
    protected Map<String, Long> lockedReadOnlyRequestCommands() {
        return Map.of("cmd_set", 1L, "cmd_touch", 1L, "cmd_get", 1L, "delete_hits", 1L);
    }

    /** add (lock), get-and-touch, cas, gets and delete (unlock) */
    @Override
    protected Map<String, Long> lockedModifyingRequestCommands() {
        return Map.of("cmd_set", 2L, "cmd_touch", 1L, "cas_hits", 1L, "cmd_get", 1L, "delete_hits", 1L);
    }
}
