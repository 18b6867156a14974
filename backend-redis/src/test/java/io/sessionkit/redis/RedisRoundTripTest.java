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
    @DisplayName("a request that modifies its session sends two commands: GETEX and SET")
    void modifyingRequestCostsTwoCommands() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine.open(cookie);
            session.put("cart", 3);
            engine.save(session);
        });
        assertEquals(Map.of("getex", 1L, "set", 1L), commands);
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
