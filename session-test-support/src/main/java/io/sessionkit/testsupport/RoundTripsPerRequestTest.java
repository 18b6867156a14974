package io.sessionkit.testsupport;

import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Counts the commands a request costs through the engine, from the server's own per-command
 * counters, so a store proves the lifecycle's promise: a request that never uses its session
 * costs nothing, one that only reads it one round trip, one that modifies it two. The server
 * must be private to the test class (a {@link RedisServerProcess}, a
 * {@link MemcachedServerProcess}): anyone else's commands would be counted too.
 *
 * <p>Before each test one session holding {@code user=ann} is stored through the engine; its
 * cookie value is {@link #cookie()}. Another session is then stored and modified, so that what
 * a store caches on its server at first use (Redis loads its scripts) is in place: the counts
 * are those of a warm server. A subclass names the store, the counters and the commands it
 * expects, and may add tests of its own with {@link #commandsDuring(Runnable)}:
 * <pre>{@code
 * class RedisRoundTripTest extends RoundTripsPerRequestTest {
 *     protected void configure(SessionConfig.Builder config) {
 *         config.set("SESSION_TYPE", "redis").set("SESSION_REDIS", server.url());
 *     }
 *     protected Map<String, Long> commandCounts() { ... INFO commandstats ... }
 *     protected Map<String, Long> readOnlyRequestCommands() { return Map.of("getex", 1L); }
 *     protected Map<String, Long> modifyingRequestCommands() { return Map.of("getex", 1L, "set", 1L); }
 *     ... and the same for a logout, a new session and, with SESSION_LOCKING, a read and a write
 * }
 * }</pre>
 * Needs JUnit Jupiter on the class path.
 */
public abstract class RoundTripsPerRequestTest {

    private SessionInterface engine;
    private String cookie;

    /**
     * Points the engine at the store under test.
     *
     * @param config an empty builder, to which {@code SESSION_TYPE} and the store's address are added
     */
    protected abstract void configure(SessionConfig.Builder config);

    /**
     * @return the number of times the server ran each command since it started, by the
     *         server's own name for it; commands the counting itself sends (such as Redis's
     *         {@code INFO}) left out
     */
    protected abstract Map<String, Long> commandCounts();

    /**
     * @return the commands a request that only reads its session costs, with how often
     */
    protected abstract Map<String, Long> readOnlyRequestCommands();

    /**
     * @return the commands a request that modifies its session costs, with how often
     */
    protected abstract Map<String, Long> modifyingRequestCommands();

    /**
     * @return the commands a request that invalidates its session (a logout) costs
     */
    protected abstract Map<String, Long> invalidatingRequestCommands();

    /**
     * @return the commands a request that stores a new session costs
     */
    protected abstract Map<String, Long> newSessionCommands();

    /**
     * @return the commands a request that only reads its session costs with
     *         {@code SESSION_LOCKING=true}: the lock, the read, the release
     */
    protected abstract Map<String, Long> lockedReadOnlyRequestCommands();

    /**
     * @return the commands a request that modifies its session costs with
     *         {@code SESSION_LOCKING=true}
     */
    protected abstract Map<String, Long> lockedModifyingRequestCommands();

    @BeforeEach
    void storeOneSession() {
        engine = engine(SessionConfig.builder());
        Session session = engine.open(null);
        session.put("user", "ann");
        SaveResult result = engine.save(session);
        assertNotNull(result.setCookieHeader(), "a new stored session sets its cookie");
        cookie = cookieValue(result.setCookieHeader());
        Session warmUp = engine.open(null);
        warmUp.put("user", "warm-up");
        engine.save(warmUp);
        modify(engine, warmUp.id(), "warm-up");
    }

    private SessionInterface engine(SessionConfig.Builder config) {
        configure(config);
        return SessionInterface.create(config.build());
    }

    private static void modify(SessionInterface engine, String id, Object cart) {
        Session session = engine.open(id);
        session.put("cart", cart);
        engine.save(session);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    @DisplayName("a request that never uses its session sends no command")
    void untouchedSessionCostsNothing() {
        assertEquals(Map.of(), commandsDuring(() -> engine.save(engine.open(cookie))));
    }

    @Test
    @DisplayName("a request that only reads its session sends one command, which also extends the expiry")
    void readOnlyRequestCostsOneCommand() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine.open(cookie);
            assertEquals("ann", session.get("user"));
            engine.save(session);
        });
        assertEquals(readOnlyRequestCommands(), commands);
    }

    @Test
    @DisplayName("a request that modifies its session sends two commands: the read and the write")
    void modifyingRequestCostsTwoCommands() {
        assertEquals(modifyingRequestCommands(), commandsDuring(() -> modify(engine, cookie, 3)));
    }

    @Test
    @DisplayName("a request that invalidates its session sends two commands: the read and the delete")
    void invalidatingRequestCostsTwoCommands() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine.open(cookie);
            session.invalidate();
            engine.save(session);
        });
        assertEquals(invalidatingRequestCommands(), commands);
    }

    @Test
    @DisplayName("a request that stores a new session sends one command: the create")
    void newSessionCostsOneCommand() {
        Map<String, Long> commands = commandsDuring(() -> {
            Session session = engine.open(null);
            session.put("user", "bob");
            engine.save(session);
        });
        assertEquals(newSessionCommands(), commands);
    }

    @Test
    @DisplayName("with SESSION_LOCKING a request adds taking and releasing the lock")
    void lockingAddsTheLockAndItsRelease() {
        try (SessionInterface locking = engine(SessionConfig.builder().set(ConfigKeys.SESSION_LOCKING, "true"))) {
            modify(locking, cookie, "warm-up");
            Map<String, Long> read = commandsDuring(() -> {
                Session session = locking.open(cookie);
                assertEquals("ann", session.get("user"));
                locking.save(session);
            });
            assertEquals(lockedReadOnlyRequestCommands(), read, "a read-only request");
            assertEquals(lockedModifyingRequestCommands(), commandsDuring(() -> modify(locking, cookie, 4)),
                    "a modifying request");
        }
    }

    /**
     * @return the engine of this test, on the store under test
     */
    protected final SessionInterface engine() {
        return engine;
    }

    /**
     * @return the cookie value of the session stored before the test
     */
    protected final String cookie() {
        return cookie;
    }

    /**
     * @param request what to do, typically open and save a session through {@link #engine()}
     * @return the commands the server ran meanwhile, with how often; those it did not run left out
     */
    protected final Map<String, Long> commandsDuring(Runnable request) {
        Map<String, Long> before = commandCounts();
        request.run();
        Map<String, Long> after = commandCounts();
        Map<String, Long> delta = new HashMap<>();
        after.forEach((command, calls) -> {
            long added = calls - before.getOrDefault(command, 0L);
            if (added > 0) {
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
