package io.sessionkit.redis;

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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Counts the commands a request costs through the engine, from {@code INFO commandstats} of a
 * private server that nothing else talks to.
 */
class RedisRoundTripTest {

    private static RedisServerProcess server;

    private SessionInterface engine;
    private String cookie;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void storeOneSession() {
        engine = SessionInterface.create(SessionConfig.builder()
                .set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", server.url())
                .build());
        Session session = engine.open(null);
        session.put("user", "ann");
        SaveResult result = engine.save(session);
        assertNotNull(result.setCookieHeader(), "a new stored session sets its cookie");
        cookie = cookieValue(result.setCookieHeader());
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    @DisplayName("a request that never uses its session sends no command")
    void untouchedSessionCostsNothing() {
        Map<String, Long> commands = commandsDuring(() -> engine.save(engine.open(cookie)));
        assertEquals(Map.of(), commands);
    }

    @Test
    @DisplayName("a request that only reads its session sends one command: GETEX, which also extends the expiry")
    void readOnlyRequestCostsOneCommand() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine.open(cookie);
            assertEquals("ann", session.get("user"));
            engine.save(session);
        });
        assertEquals(Map.of("getex", 1L), commands);
    }

    @Test
    @DisplayName("a request that modifies its session sends two commands: GETEX and the conditional replace script (EVALSHA)")
    void modifyingRequestCostsTwoCommands() {
        modify(engine, cookie); // the first replace after the server started loads the script: NOSCRIPT, then EVAL
        Map<String, Long> commands = commandsDuring(() -> modify(engine, cookie));
        // INFO commandstats also counts what a script runs inside the server: its GET and SET.
        assertEquals(Map.of("getex", 1L, "evalsha", 1L, "get", 1L, "set", 1L), commands);
    }

    @Test
    @DisplayName("a request that invalidates its session sends two commands: GETEX and UNLINK (a logout deletes whatever is stored)")
    void invalidatingRequestCostsTwoCommands() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine.open(cookie);
            session.invalidate();
            engine.save(session);
        });
        assertEquals(Map.of("getex", 1L, "unlink", 1L), commands);
    }

    @Test
    @DisplayName("a new session costs one command: SET NX")
    void newSessionCostsOneCommand() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine.open(null);
            session.put("user", "bob");
            engine.save(session);
        });
        assertEquals(Map.of("set", 1L), commands);
    }

    @Test
    @DisplayName("with SESSION_LOCKING a request adds two commands, the lock and unlock scripts (EVALSHA): 3 to read, 4 to modify")
    void lockingAddsTwoCommands() {
        try (SessionInterface locking = SessionInterface.create(SessionConfig.builder()
                .set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", server.url())
                .set("SESSION_LOCKING", "true")
                .build())) {
            modify(locking, cookie);
            Map<String, Long> read = commandsDuring(() -> {
                Session session = locking.open(cookie);
                assertEquals("ann", session.get("user"));
                locking.save(session);
            });
            // Inside the scripts: SET NX (lock), GET and DEL (unlock), GET and SET (replace).
            assertEquals(Map.of("evalsha", 2L, "getex", 1L, "set", 1L, "get", 1L, "del", 1L), read);
            Map<String, Long> modify = commandsDuring(() -> modify(locking, cookie));
            assertEquals(Map.of("evalsha", 3L, "getex", 1L, "set", 2L, "get", 2L, "del", 1L), modify);
        }
    }

    private static void modify(SessionInterface engine, String cookie) {
        Session session = engine.open(cookie);
        session.put("cart", ThreadLocalRandom.current().nextInt());
        engine.save(session);
    }

    /** The commands the server ran during {@code request}, apart from the INFO calls counting them. */
    private static Map<String, Long> commandsDuring(Runnable request) {
        Map<String, Long> before = server.commandCalls();
        request.run();
        Map<String, Long> after = server.commandCalls();
        Map<String, Long> delta = new HashMap<>();
        after.forEach((command, calls) -> {
            long added = calls - before.getOrDefault(command, 0L);
            if (added > 0 && !command.equals("info")) {
                delta.put(command, added);
            }
        });
        return delta;
    }

    private static String cookieValue(String setCookieHeader) {
        int equals = setCookieHeader.indexOf('=');
        int semicolon = setCookieHeader.indexOf(';');
        return setCookieHeader.substring(equals + 1, semicolon < 0 ? setCookieHeader.length() : semicolon);
    }
}
