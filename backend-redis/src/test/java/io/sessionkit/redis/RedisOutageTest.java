package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the backend does when its server goes away or stops answering, and that the same
 * backend instance works again once the server is back.
 */
class RedisOutageTest {

    private static final String PASSWORD = "outage-test-pw";
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Generous: the bound is about not hanging, not about speed. */
    private static final Duration FAILS_WITHIN = TIMEOUT.multipliedBy(2).multipliedBy(10);
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final byte[] VALUE = "{\"user\":\"ann\"}".getBytes(StandardCharsets.UTF_8);

    private RedisServerProcess server;
    private SessionBackend backend;

    @BeforeEach
    void start() {
        server = RedisServerProcess.start("--requirepass", PASSWORD);
        backend = new RedisSessionBackendProvider().create(SessionConfig.builder()
                .set("SESSION_REDIS", "redis://:" + PASSWORD + "@127.0.0.1:" + server.port())
                .set("SESSION_REDIS_CONNECT_TIMEOUT", TIMEOUT)
                .set("SESSION_REDIS_TIMEOUT", TIMEOUT)
                .build());
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        server.close();
    }

    @Test
    @DisplayName("with the server stopped every operation fails with SessionBackendException, and works again after a restart")
    void stoppedServerFailsThenRecovers() {
        backend.save("session:a", VALUE, TTL);
        server.stop();

        assertStoreFailure("load", () -> backend.load("session:a"));
        assertStoreFailure("load", () -> ((TouchingLoad) backend).loadAndTouch("session:a", TTL));
        assertStoreFailure("save", () -> backend.save("session:a", VALUE, TTL));
        assertStoreFailure("touch", () -> backend.touch("session:a", TTL));
        assertStoreFailure("delete", () -> backend.delete("session:a"));

        server.restart();
        // Nothing is persisted, so the old session is gone; the first calls must not fail on
        // connections left over from before the restart.
        backend.save("session:b", VALUE, TTL);
        assertArrayEquals(VALUE, backend.load("session:b"));
    }

    @Test
    @DisplayName("a server that accepts connections but never answers fails within the timeout, then works when it resumes")
    void unresponsiveServerTimesOut() {
        backend.save("session:a", VALUE, TTL);
        server.suspend();

        assertStoreFailure("load", () -> backend.load("session:a"));
        SessionBackendException failure = assertThrows(SessionBackendException.class,
                () -> backend.save("session:a", VALUE, TTL));
        assertEquals(0, failure.getCause().getSuppressed().length,
                "a timed-out command is not sent again: the server is frozen, not the connection stale");

        server.resume();
        assertArrayEquals(VALUE, backend.load("session:a"));
    }

    @Test
    @DisplayName("connections broken while idle do not fail the first requests after a restart")
    void staleConnectionsAreReplaced() throws Exception {
        // Open several pooled connections at once, so several go stale.
        Thread[] threads = new Thread[6];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int round = 0; round < 50; round++) {
                    backend.load("session:a");
                }
            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        server.restart();
        for (int i = 0; i < 10; i++) {
            backend.save("session:c" + i, VALUE, TTL);
        }
        assertArrayEquals(VALUE, backend.load("session:c9"));
    }

    private void assertStoreFailure(String operation, Executable call) {
        long start = System.nanoTime();
        SessionBackendException e = assertThrows(SessionBackendException.class, call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(FAILS_WITHIN) < 0, operation + " took " + took + " to fail");
        assertEquals("redis", e.backendType());
        assertEquals(operation, e.operation());
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }
}
