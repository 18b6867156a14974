package io.sessionkit.redis;

import io.sessionkit.SessionStoreException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

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
    @DisplayName("a session is one plain string key with the time to live as its expiry, in the URL's database")
    void storedAsStringKeyWithExpiry() {
        try (SessionBackend backend = backend(server.url() + "/5"); Jedis jedis = server.jedis()) {
            backend.save("session:whole-seconds", VALUE, Duration.ofHours(1));
            backend.save("session:millis", VALUE, Duration.ofMillis(90_500));
            jedis.select(5);
            assertEquals("string", jedis.type("session:whole-seconds"));
            assertArrayEquals(VALUE, jedis.get(bytes("session:whole-seconds")));
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
            assertArrayEquals(VALUE, jedis.get(bytes("sesión:ü")));
        }
    }

    @Test
    @DisplayName("a JedisPooled handed in from code is used, and stays open when the backend closes")
    void handedInClientIsUsedAndNotClosed() {
        try (JedisPooled client = new JedisPooled("127.0.0.1", server.port())) {
            SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                    .set("SESSION_TYPE", "redis")
                    .set("SESSION_REDIS", "redis://127.0.0.1:1") // ignored: the client wins
                    .client(client)
                    .build());
            backend.save("session:handed-in", VALUE, Duration.ofMinutes(1));
            assertArrayEquals(VALUE, client.get(bytes("session:handed-in")));
            backend.close();
            assertEquals("PONG", client.ping(), "the application's client was closed");
        }
    }

    @Test
    @DisplayName("a command Redis refuses is thrown as SessionStoreException naming the operation")
    void refusedCommandIsStoreException() {
        try (SessionBackend backend = backend(server.url()); Jedis jedis = server.jedis()) {
            jedis.hset("session:not-a-string", "field", "value");
            SessionStoreException e = assertThrows(SessionStoreException.class, () -> backend.load("session:not-a-string"));
            assertEquals("load", e.operation());
            assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
        }
    }

    @Test
    @DisplayName("using a closed backend is a SessionStoreException saying so")
    void closedBackend() {
        SessionBackend backend = backend(server.url());
        backend.close();
        SessionStoreException e = assertThrows(SessionStoreException.class, () -> backend.load("session:x"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
