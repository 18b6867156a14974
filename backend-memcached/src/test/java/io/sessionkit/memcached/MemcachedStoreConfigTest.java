package io.sessionkit.memcached;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.MemcachedServerProcess;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up checks of the memcached keys, and a client handed in from code. */
class MemcachedStoreConfigTest {

    private static SessionConfigException startFails(Map<String, Object> settings) {
        SessionConfig.Builder config = SessionConfig.builder().set("SESSION_TYPE", "memcached");
        settings.forEach(config::set);
        SessionConfig built = config.build();
        return assertThrows(SessionConfigException.class, () -> BackendRegistry.load().create(built));
    }

    private static void assertNames(SessionConfigException failure, String key, String value) {
        assertTrue(failure.problems().stream().anyMatch(problem -> problem.contains(key) && problem.contains("'" + value + "'")),
                "no problem names " + key + " and '" + value + "': " + failure.problems());
    }

    @Test
    @DisplayName("a server without a port is refused, naming SESSION_MEMCACHED and its value")
    void serverWithoutPort() {
        assertNames(startFails(Map.of("SESSION_MEMCACHED", "127.0.0.1")), "SESSION_MEMCACHED", "127.0.0.1");
    }

    @Test
    @DisplayName("a port out of range and a server listed twice are refused")
    void badPortAndDuplicate() {
        SessionConfigException failure = startFails(Map.of("SESSION_MEMCACHED", "127.0.0.1:70000"));
        assertNames(failure, "SESSION_MEMCACHED", "127.0.0.1:70000");
        assertTrue(failure.getMessage().contains("70000 is not from 1 to 65535"), failure.getMessage());
        failure = startFails(Map.of("SESSION_MEMCACHED", "127.0.0.1:11211, 127.0.0.1:11211"));
        assertTrue(failure.getMessage().contains("listed twice"), failure.getMessage());
    }

    @Test
    @DisplayName("a timeout that is not a duration is refused, naming SESSION_MEMCACHED_TIMEOUT and its value")
    void badTimeout() {
        assertNames(startFails(Map.of("SESSION_MEMCACHED_TIMEOUT", "soon")), "SESSION_MEMCACHED_TIMEOUT", "soon");
    }

    @Test
    @DisplayName("an item size limit below memcached's minimum is refused")
    void badItemSizeMax() {
        assertNames(startFails(Map.of("SESSION_MEMCACHED_ITEM_SIZE_MAX", "100")), "SESSION_MEMCACHED_ITEM_SIZE_MAX", "100");
    }

    @Test
    @DisplayName("a key prefix with a space or a control character is refused, naming SESSION_KEY_PREFIX")
    void prefixWithSpace() {
        assertNames(startFails(Map.of("SESSION_KEY_PREFIX", "my app:")), "SESSION_KEY_PREFIX", "my app:");
        assertTrue(startFails(Map.of("SESSION_KEY_PREFIX", "app\t:")).getMessage().contains("SESSION_KEY_PREFIX"));
    }

    @Test
    @DisplayName("a key prefix too long for memcached's 250-byte keys with the longest session id is refused")
    void prefixTooLong() {
        String prefix = "p".repeat(MemcachedStoreConfig.MAX_KEY_BYTES - MemcachedStoreConfig.MAX_ID_CHARS + 1);
        SessionConfigException failure = startFails(Map.of("SESSION_KEY_PREFIX", prefix));
        assertNames(failure, "SESSION_KEY_PREFIX", prefix);
        assertTrue(failure.getMessage().contains("250"), failure.getMessage());
    }

    @Test
    @DisplayName("every problem is reported at once")
    void allProblemsTogether() {
        SessionConfigException failure = startFails(Map.of(
                "SESSION_MEMCACHED", "nowhere",
                "SESSION_MEMCACHED_TIMEOUT", "-5",
                "SESSION_KEY_PREFIX", "with space"));
        assertEquals(3, failure.problems().size(), failure.getMessage());
    }

    @Test
    @DisplayName("a handed-in client and SESSION_MEMCACHED together are refused: the servers are set in one place")
    void clientAndServersTogether() throws Exception {
        MemcachedClient client = new MemcachedClient(new java.net.InetSocketAddress("127.0.0.1", 1));
        try {
            SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "memcached")
                    .set("SESSION_MEMCACHED", "127.0.0.1:11211").client(client).build();
            SessionConfigException failure = assertThrows(SessionConfigException.class,
                    () -> BackendRegistry.load().create(config));
            assertNames(failure, "SESSION_MEMCACHED", "127.0.0.1:11211");
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("a handed-in client is used as it is, stores bytes untouched, and is not shut down by close")
    void handedInClientUsedAndKeptOpen() throws Exception {
        try (MemcachedServerProcess server = MemcachedServerProcess.start()) {
            // spymemcached's defaults: text protocol, and a transcoder that would compress and flag large values.
            MemcachedClient client = new MemcachedClient(server.socketAddress());
            try {
                String key = "session:" + "k".repeat(43);
                byte[] large = new byte[512 * 1024];
                ThreadLocalRandom.current().nextBytes(large);
                SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                        .set("SESSION_TYPE", "memcached").client(client).build());
                backend.save(key, large, Duration.ofHours(1));
                assertArrayEquals(large, backend.load(key));
                assertArrayEquals(large, server.rawItem(key).data(), "the value was changed on its way to memcached");
                backend.touch(key, Duration.ofHours(2));
                backend.close();

                assertTrue(client.set("still-open", 60, "yes").get(), "the application's client was shut down");
                assertEquals("yes", client.get("still-open"));
                assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8),
                        roundTrip(client, key, "ok".getBytes(StandardCharsets.UTF_8)));
            } finally {
                client.shutdown();
            }
        }
    }

    private static byte[] roundTrip(MemcachedClient client, String key, byte[] value) {
        try (SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "memcached").client(client).build())) {
            backend.save(key, value, Duration.ofMinutes(1));
            return backend.load(key);
        }
    }
}
