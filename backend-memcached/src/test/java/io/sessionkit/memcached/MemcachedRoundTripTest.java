package io.sessionkit.memcached;

import io.sessionkit.Session;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Counts the operations a request costs through the engine, from the {@code stats} counters
 * of a private server that nothing else talks to.
 */
class MemcachedRoundTripTest {

    /** memcached's per-command counters; a get-and-touch counts as a touch, a cas as a set and a cas hit. */
    private static final List<String> COUNTERS = List.of("cmd_get", "cmd_set", "cmd_touch", "delete_hits", "delete_misses",
            "cas_hits", "cas_misses", "cas_badval");

    private static MemcachedServer server;

    private SessionInterface engine;
    private String cookie;

    @BeforeAll
    static void startServer() {
        server = MemcachedServer.launch();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void storeOneSession() {
        engine = SessionInterface.create(SessionConfig.builder()
                .set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", server.address())
                .build());
        Session session = engine.open(null);
        session.put("user", "ann");
        SaveResult result = engine.save(session);
        assertNotNull(result.setCookieHeader(), "a new stored session sets its cookie");
        String header = result.setCookieHeader();
        cookie = header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    @DisplayName("a request that never uses its session sends nothing")
    void untouchedSessionCostsNothing() {
        assertEquals(Map.of(), operationsDuring(() -> engine.save(engine.open(cookie))));
    }

    @Test
    @DisplayName("a request that only reads its session sends one operation: get-and-touch")
    void readOnlyRequestCostsOneOperation() {
        Map<String, Long> operations = operationsDuring(() -> {
            Session session = engine.open(cookie);
            assertEquals("ann", session.get("user"));
            engine.save(session);
        });
        assertEquals(Map.of("cmd_touch", 1L), operations);
    }

    @Test
    @DisplayName("a request that modifies its session sends two operations: get-and-touch and cas")
    void modifyingRequestCostsTwoOperations() {
        Map<String, Long> operations = operationsDuring(() -> modify(engine));
        assertEquals(Map.of("cmd_touch", 1L, "cmd_set", 1L, "cas_hits", 1L), operations);
    }

    @Test
    @DisplayName("a new session costs one operation: add")
    void newSessionCostsOneOperation() {
        Map<String, Long> operations = operationsDuring(() -> {
            Session session = engine.open(null);
            session.put("user", "bob");
            engine.save(session);
        });
        assertEquals(Map.of("cmd_set", 1L), operations);
    }

    @Test
    @DisplayName("with SESSION_LOCKING a request adds three operations, add to lock, gets and delete to unlock: 4 to read, 5 to modify")
    void lockingAddsThreeOperations() {
        try (SessionInterface locking = SessionInterface.create(SessionConfig.builder()
                .set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", server.address())
                .set("SESSION_LOCKING", "true")
                .build())) {
            Map<String, Long> read = operationsDuring(() -> {
                Session session = locking.open(cookie);
                assertEquals("ann", session.get("user"));
                locking.save(session);
            });
            assertEquals(Map.of("cmd_set", 1L, "cmd_touch", 1L, "cmd_get", 1L, "delete_hits", 1L), read);
            Map<String, Long> modify = operationsDuring(() -> modify(locking));
            assertEquals(Map.of("cmd_set", 2L, "cmd_touch", 1L, "cas_hits", 1L, "cmd_get", 1L, "delete_hits", 1L), modify);
        }
    }

    private void modify(SessionInterface engine) {
        Session session = engine.open(cookie);
        session.put("cart", ThreadLocalRandom.current().nextInt());
        engine.save(session);
    }

    @Test
    @DisplayName("a request that invalidates its session sends two operations: get-and-touch and delete")
    void invalidatingRequestCostsTwoOperations() {
        Map<String, Long> operations = operationsDuring(() -> {
            Session session = engine.open(cookie);
            session.invalidate();
            engine.save(session);
        });
        assertEquals(Map.of("cmd_touch", 1L, "delete_hits", 1L), operations);
    }

    private static Map<String, Long> operationsDuring(Runnable request) {
        Map<String, String> before = server.stats();
        request.run();
        Map<String, String> after = server.stats();
        Map<String, Long> delta = new HashMap<>();
        for (String counter : COUNTERS) {
            long added = Long.parseLong(after.get(counter)) - Long.parseLong(before.get(counter));
            if (added > 0) {
                delta.put(counter, added);
            }
        }
        return delta;
    }
}
