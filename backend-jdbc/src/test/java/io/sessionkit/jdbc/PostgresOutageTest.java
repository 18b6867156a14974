package io.sessionkit.jdbc;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testsupport.PostgresServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The store while its PostgreSQL server is down and after it is back, on a private server the
 * test stops and starts.
 */
class PostgresOutageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Generous: only a store that hangs far beyond its timeout fails this. */
    private static final Duration FAILS_WITHIN = TIMEOUT.multipliedBy(10);
    private static final Duration HOUR = Duration.ofHours(1);

    private static PostgresServerProcess server;
    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServerProcess.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private SessionConfig config() {
        return SessionConfig.builder().set("SESSION_TYPE", "jdbc").clock(clock)
                .set(JdbcSettings.URL, server.url()).set(JdbcSettings.USER, "postgres")
                .set(JdbcSettings.PASSWORD, "not-needed-with-trust").set(JdbcSettings.TABLE, "sk_outage")
                .set(JdbcSettings.TIMEOUT, TIMEOUT).set(JdbcSettings.POOL_SIZE, 2).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("while the server is down every operation fails with SessionBackendException in bounded time;"
            + " once it is back the same backend works again")
    void survivesAnOutage() throws Exception {
        try (JdbcSessionBackend backend = (JdbcSessionBackend) new JdbcSessionBackendProvider().create(config())) {
            backend.save("before", bytes("saved before the outage"), HOUR);

            server.stop();
            Map<String, Executable> operations = new LinkedHashMap<>();
            operations.put("load", () -> backend.load("before"));
            operations.put("save", () -> backend.save("during", bytes("x"), HOUR));
            operations.put("touch", () -> backend.touch("before", HOUR));
            operations.put("load and touch", () -> backend.capability(TouchingLoad.class).orElseThrow().loadAndTouch("before", HOUR));
            operations.put("delete", () -> backend.delete("before"));
            ExpiredSessionCleanup cleanup = backend.capability(ExpiredSessionCleanup.class).orElseThrow();
            operations.put("delete expired sessions", cleanup::deleteExpired);
            for (Map.Entry<String, Executable> operation : operations.entrySet()) {
                long started = System.nanoTime();
                SessionBackendException error = assertThrows(SessionBackendException.class, operation.getValue(),
                        operation.getKey() + " did not fail while the server was down");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(took.compareTo(FAILS_WITHIN) < 0, operation.getKey() + " took " + took + " to fail");
                assertEquals(operation.getKey(), error.operation());
                assertEquals("jdbc", error.backendType());
                assertTrue(error.getMessage().contains("SESSION_JDBC_TIMEOUT"), error.getMessage());
            }

            server.restart();
            // The pool reconnects in the background; requests may fail until it has, for about one timeout.
            assertArrayEquals(bytes("saved before the outage"), loadOnceBack(backend, "before"));
            backend.save("after", bytes("saved after the outage"), HOUR);
            assertArrayEquals(bytes("saved after the outage"), backend.load("after"));
        }
    }

    private static byte[] loadOnceBack(JdbcSessionBackend backend, String key) throws InterruptedException {
        long deadline = System.nanoTime() + FAILS_WITHIN.toNanos();
        while (true) {
            try {
                return backend.load(key);
            } catch (SessionBackendException stillDown) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the backend did not recover within " + FAILS_WITHIN + " of the restart", stillDown);
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    @DisplayName("a server that is down at start-up fails creation with SessionBackendException, without the password")
    void downAtStartUp() throws Exception {
        server.stop();
        try {
            long started = System.nanoTime();
            SessionBackendException error = assertThrows(SessionBackendException.class,
                    () -> new JdbcSessionBackendProvider().create(config()));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(FAILS_WITHIN) < 0);
            assertEquals("connect", error.operation());
            assertTrue(error.getMessage().contains(server.url()), error.getMessage());
            assertFalse(error.getMessage().contains("not-needed-with-trust"), error.getMessage());
        } finally {
            server.restart();
        }
    }
}
