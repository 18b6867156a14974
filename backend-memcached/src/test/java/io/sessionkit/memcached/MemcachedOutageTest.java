package io.sessionkit.memcached;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The only memcached server stops or hangs: every operation fails with a store error within
 * a bounded time, and the same backend works again once the server is back.
 */
class MemcachedOutageTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Generous: the bound proves the call does not hang, not that it is fast. */
    private static final Duration BOUND = TIMEOUT.multipliedBy(10);
    private static final Duration HOUR = Duration.ofHours(1);
    /** Shaped like an id the engine makes, so that LogLeakExtension would see it in a log line. */
    private static final String KEY = "session:Q7vYp2kLmNoPqRsTuVwXyZ8kLmNoPqRsTuVwXyZ0123a_-";
    private static final byte[] VALUE = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

    private MemcachedServerProcess server;
    private SessionBackend backend;

    @BeforeEach
    void start() {
        server = MemcachedServerProcess.start();
        backend = BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", server.address())
                .set("SESSION_MEMCACHED_TIMEOUT", TIMEOUT)
                .build());
    }

    @AfterEach
    void stop() {
        backend.close();
        server.close();
    }

    @Test
    @DisplayName("with the only server stopped, every operation fails with a store error, and works again after a restart")
    void stoppedServerFailsThenRecovers() {
        backend.save(KEY, VALUE, HOUR);
        server.stop();

        assertFailsInTime("load", () -> backend.load(KEY));
        assertFailsInTime("load", () -> ((TouchingLoad) backend).loadAndTouch(KEY, HOUR));
        assertFailsInTime("save", () -> backend.save(KEY, VALUE, HOUR));
        assertFailsInTime("touch", () -> backend.touch(KEY, HOUR));
        assertFailsInTime("delete", () -> backend.delete(KEY));

        server.restart(); // same port, empty
        awaitRecovery();
        assertArrayEquals(VALUE, backend.load(KEY));
        backend.delete(KEY);
        assertNull(backend.load(KEY));
    }

    @Test
    @DisplayName("a hung server (connection open, no answers) fails operations after the timeout instead of blocking")
    void hungServerTimesOut() {
        backend.save(KEY, VALUE, HOUR);
        server.suspend();
        try {
            SessionBackendException failure = assertFailsInTime("load", () -> backend.load(KEY));
            assertTrue(failure.getMessage().contains("SESSION_MEMCACHED_TIMEOUT"), failure.getMessage());
            assertFailsInTime("save", () -> backend.save(KEY, VALUE, HOUR));
        } finally {
            server.resume();
        }
        assertArrayEquals(VALUE, backend.load(KEY), "the backend did not work again once the server answered");
    }

    private static SessionBackendException assertFailsInTime(String operation, Executable call) {
        long started = System.nanoTime();
        SessionBackendException failure = assertThrows(SessionBackendException.class, call);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(BOUND) < 0, operation + " took " + took + " to fail; the timeout is " + TIMEOUT);
        assertEquals("memcached", failure.backendType());
        assertEquals(operation, failure.operation());
        return failure;
    }

    /** The client reconnects in the background; wait for the first save that gets through. */
    private void awaitRecovery() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                backend.save(KEY, VALUE, HOUR);
                return;
            } catch (SessionBackendException stillDown) {
                if (System.nanoTime() > deadline) {
                    fail("the backend did not work again within 20 s of the server's restart", stillDown);
                }
            }
        }
    }
}
