package io.sessionkit.memcached;

import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.MemcachedServerProcess;
import io.sessionkit.testsupport.RoundTripsPerRequestTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Counts the operations a request costs through the engine, from the {@code stats} counters
 * of a private server that nothing else talks to: get-and-touch for a read, and set or delete
 * besides for a write.
 */
class MemcachedRoundTripTest extends RoundTripsPerRequestTest {

    /** memcached's per-command counters; a get-and-touch counts as a touch. */
    private static final List<String> COUNTERS = List.of("cmd_get", "cmd_set", "cmd_touch", "delete_hits", "delete_misses");

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
        return Map.of("cmd_touch", 1L, "cmd_set", 1L);
    }

    @Test
    @DisplayName("a request that invalidates its session sends two operations: get-and-touch and delete")
    void invalidatingRequestCostsTwoOperations() {
        Map<String, Long> operations = commandsDuring(() -> {
            Session session = engine().open(cookie());
            session.invalidate();
            engine().save(session);
        });
        assertEquals(Map.of("cmd_touch", 1L, "delete_hits", 1L), operations);
    }
}
