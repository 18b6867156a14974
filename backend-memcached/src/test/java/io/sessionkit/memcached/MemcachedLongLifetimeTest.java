package io.sessionkit.memcached;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lifetimes over memcached's 30-day limit for relative expirations, against a real server:
 * without conversion to an absolute time, memcached would read 31 days of seconds as a moment
 * in 1970 and drop the session at once.
 */
class MemcachedLongLifetimeTest {

    private static final String KEY = "session:0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    private static final byte[] VALUE = "{\"user\":42}".getBytes(StandardCharsets.UTF_8);

    private static MemcachedServerProcess server;
    private SessionConfig config;
    private SessionBackend backend;

    @BeforeAll
    static void startServer() {
        server = MemcachedServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void createBackend() {
        config = SessionConfig.builder().set("SESSION_TYPE", "memcached").set("SESSION_MEMCACHED", server.address()).build();
        backend = BackendRegistry.load().create(config);
        backend.delete(KEY);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    @DisplayName("regression: a session saved with the default 31-day lifetime loads back instead of expiring at once")
    void thirtyOneDaySessionLoadsBack() {
        assertEquals(Duration.ofDays(31), config.lifetime(), "the default lifetime this test relies on");
        backend.save(KEY, VALUE, config.lifetime());
        assertArrayEquals(VALUE, backend.load(KEY));
        assertExpiresAbout(config.lifetime());
    }

    @Test
    @DisplayName("touch and loadAndTouch with 31 days keep the session and set its expiry 31 days ahead")
    void thirtyOneDayTouchKeepsSession() {
        backend.save(KEY, VALUE, Duration.ofMinutes(5));
        backend.touch(KEY, config.lifetime());
        assertArrayEquals(VALUE, backend.load(KEY));
        assertExpiresAbout(config.lifetime());

        backend.save(KEY, VALUE, Duration.ofMinutes(5));
        assertArrayEquals(VALUE, ((TouchingLoad) backend).loadAndTouch(KEY, config.lifetime()));
        assertArrayEquals(VALUE, backend.load(KEY));
        assertExpiresAbout(config.lifetime());
    }

    @Test
    @DisplayName("get-and-touch is handed out as the TouchingLoad capability; memcached expires items itself, so no clean-up is")
    void capabilities() {
        TouchingLoad touching = backend.capability(TouchingLoad.class).orElseThrow();
        backend.save(KEY, VALUE, Duration.ofMinutes(5));
        assertArrayEquals(VALUE, touching.loadAndTouch(KEY, config.lifetime()));
        assertExpiresAbout(config.lifetime());
        assertEquals(Optional.empty(), backend.capability(ExpiredSessionCleanup.class));
    }

    /** Reads the item's remaining time to live from the server itself. */
    private static void assertExpiresAbout(Duration lifetime) {
        Long remaining = server.timeToLiveSeconds(KEY);
        assertNotNull(remaining, "the server holds no item " + KEY);
        assertTrue(Math.abs(remaining - lifetime.toSeconds()) <= 5,
                "the server expires the item in " + remaining + " s, expected about " + lifetime.toSeconds() + " s");
    }
}
