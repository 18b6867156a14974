package io.sessionkit.redis;

import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RedisServerProcess;
import io.sessionkit.testsupport.RoundTripsPerRequestTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Counts the commands a request costs through the engine, from {@code INFO commandstats} of a
 * private server that nothing else talks to: GETEX for a read (it also extends the expiry),
 * and the conditional replace script (EVALSHA) besides for a write. {@code INFO commandstats}
 * also counts the commands a script runs inside the server, which cost no round trip: they
 * are listed with the script's name in the comments.
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

    /**
     * The first replace after the server started also loads its script (NOSCRIPT, then EVAL);
     * the counts here are those of every later request.
     */
    @BeforeEach
    void loadReplaceScript() {
        Session session = engine().open(null);
        session.put("user", "warm-up");
        engine().save(session);
        modify(engine(), session.id(), "warm-up");
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
        return Map.of("getex", 1L, "evalsha", 1L, "get", 1L, "set", 1L); // GET and SET: inside the replace script
    }

    @Test
    @DisplayName("a request that invalidates its session sends two commands: GETEX and UNLINK (a logout deletes whatever is stored)")
    void invalidatingRequestCostsTwoCommands() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine().open(cookie());
            session.invalidate();
            engine().save(session);
        });
        assertEquals(Map.of("getex", 1L, "unlink", 1L), commands);
    }

    @Test
    @DisplayName("a new session costs one command: SET NX")
    void newSessionCostsOneCommand() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine().open(null);
            session.put("user", "bob");
            engine().save(session);
        });
        assertEquals(Map.of("set", 1L), commands);
    }

    @Test
    @DisplayName("with SESSION_LOCKING a request adds two commands, the lock and unlock scripts (EVALSHA): 3 to read, 4 to modify")
    void lockingAddsTwoCommands() {
        SessionConfig.Builder config = SessionConfig.builder().set("SESSION_LOCKING", "true");
        configure(config);
        try (SessionInterface locking = SessionInterface.create(config.build())) {
            modify(locking, cookie(), "warm-up"); // loads the lock and unlock scripts
            Map<String, Long> read = commandsDuring(() -> {
                Session session = locking.open(cookie());
                assertEquals("ann", session.get("user"));
                locking.save(session);
            });
            // Inside the scripts: SET NX (lock), GET and DEL (unlock).
            assertEquals(Map.of("evalsha", 2L, "getex", 1L, "set", 1L, "get", 1L, "del", 1L), read);
            Map<String, Long> modify = commandsDuring(() -> modify(locking, cookie(), "changed"));
            // Inside the scripts: SET NX (lock), GET and SET (replace), GET and DEL (unlock).
            assertEquals(Map.of("evalsha", 3L, "getex", 1L, "set", 2L, "get", 2L, "del", 1L), modify);
        }
    }

    private static void modify(SessionInterface engine, String id, String cart) {
        Session session = engine.open(id);
        session.put("cart", cart);
        engine.save(session);
    }
}
