package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis-specific behaviour on one private server: how entries are stored, the client handed
 * in from code, the database number and error reporting.
 */
class RedisStandaloneTest {

    private static final byte[] VALUE = "{\"user\":\"ann\"}".getBytes(StandardCharsets.UTF_8);

    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static SessionBackend backend(String url) {
        return BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "redis").set("SESSION_REDIS", url).build());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a session is one string key (its header, then its bytes) with the time to live as its expiry, in the URL's database")
    void storedAsStringKeyWithExpiry() {
        try (SessionBackend backend = backend(server.url() + "/5"); Jedis jedis = server.jedis()) {
            backend.save("session:whole-seconds", VALUE, Duration.ofHours(1));
            backend.save("session:millis", VALUE, Duration.ofMillis(90_500));
            jedis.select(5);
            assertEquals("string", jedis.type("session:whole-seconds"));
            assertArrayEquals(RedisStoredValue.of(VALUE), jedis.get(bytes("session:whole-seconds")));
            long hour = jedis.pttl("session:whole-seconds");
            assertTrue(hour > 3_590_000 && hour <= 3_600_000, "PTTL " + hour);
            long millis = jedis.pttl("session:millis");
            assertTrue(millis > 80_000 && millis <= 90_500, "PTTL " + millis);

            backend.touch("session:millis", Duration.ofMillis(200_250));
            assertTrue(jedis.pttl("session:millis") > 190_000, "touch did not extend the expiry");
            jedis.select(0);
            assertEquals(false, jedis.exists("session:millis"), "written to database 0 instead of 5");
        }
    }

    @Test
    @DisplayName("a key prefix outside ASCII is stored as its UTF-8 bytes")
    void nonAsciiKey() {
        try (SessionBackend backend = backend(server.url()); Jedis jedis = server.jedis()) {
            backend.save("sesión:ü", VALUE, Duration.ofMinutes(1));
            assertArrayEquals(RedisStoredValue.of(VALUE), jedis.get(bytes("sesión:ü")));
        }
    }

    @Test
    @DisplayName("a JedisPooled handed in from code is used, and stays open when the backend closes")
    void handedInClientIsUsedAndNotClosed() {
        try (JedisPooled client = new JedisPooled("127.0.0.1", server.port())) {
            SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                    .set("SESSION_TYPE", "redis")
                    .client(client)
                    .build());
            backend.save("session:handed-in", VALUE, Duration.ofMinutes(1));
            assertArrayEquals(RedisStoredValue.of(VALUE), client.get(bytes("session:handed-in")));
            backend.close();
            assertEquals("PONG", client.ping(), "the application's client was closed");
        }
    }

    @Test
    @DisplayName("closing the backend closes the connections it opened, and closing it again does nothing")
    void closeReleasesItsOwnConnections() throws InterruptedException {
        // Database 7 marks the backend's connections in CLIENT LIST; no other test uses it.
        SessionBackend backend = backend(server.url() + "/7");
        try (Jedis jedis = server.jedis()) {
            backend.save("session:owned", VALUE, Duration.ofMinutes(1));
            assertTrue(connectionsTo(jedis, 7) >= 1, jedis.clientList());
            backend.close();
            backend.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (connectionsTo(jedis, 7) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, connectionsTo(jedis, 7), "the backend's connections are still open: " + jedis.clientList());
        }
    }

    private static long connectionsTo(Jedis jedis, int database) {
        return jedis.clientList().lines().filter(line -> line.contains(" db=" + database + " ")).count();
    }

    @Test
    @DisplayName("GETEX is handed out as the TouchingLoad capability; Redis expires keys itself, so no clean-up is")
    void capabilities() {
        try (SessionBackend backend = backend(server.url())) {
            TouchingLoad touching = backend.capability(TouchingLoad.class).orElseThrow();
            backend.save("session:capability", VALUE, Duration.ofMinutes(1));
            assertArrayEquals(VALUE, touching.loadAndTouch("session:capability", Duration.ofMinutes(2)));
            assertEquals(Optional.empty(), backend.capability(ExpiredSessionCleanup.class));
        }
    }

    @Test
    @DisplayName("a command Redis refuses is thrown as SessionBackendException naming the operation")
    void refusedCommandIsStoreException() {
        try (SessionBackend backend = backend(server.url()); Jedis jedis = server.jedis()) {
            jedis.hset("session:not-a-string", "field", "value");
            SessionBackendException e = assertThrows(SessionBackendException.class, () -> backend.load("session:not-a-string"));
            assertEquals("load", e.operation());
            assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
        }
    }

    @Test
    @DisplayName("using a closed backend is a SessionBackendException saying so")
    void closedBackend() {
        SessionBackend backend = backend(server.url());
        backend.close();
        SessionBackendException e = assertThrows(SessionBackendException.class, () -> backend.load("session:x"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
