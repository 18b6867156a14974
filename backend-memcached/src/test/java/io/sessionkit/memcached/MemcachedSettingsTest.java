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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up checks of the memcached keys, and a client handed in from code. */
class MemcachedSettingsTest {

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
        assertTrue(failure.getMessage().contains("('127.0.0.1:70000' is not host:port)"), failure.getMessage());
        failure = startFails(Map.of("SESSION_MEMCACHED", "127.0.0.1:11211, 127.0.0.1:11211"));
        assertTrue(failure.getMessage().contains("(127.0.0.1:11211 is listed twice)"), failure.getMessage());
    }

    @Test
    @DisplayName("a host that does not resolve is refused at start-up, naming SESSION_MEMCACHED and the host")
    void unresolvableHost() {
        SessionConfigException failure = startFails(Map.of("SESSION_MEMCACHED", "127.0.0.1:11211,no-such-host.invalid:11211"));
        assertNames(failure, "SESSION_MEMCACHED", "127.0.0.1:11211,no-such-host.invalid:11211");
        assertTrue(failure.getMessage().contains("(host 'no-such-host.invalid' could not be resolved)"), failure.getMessage());
    }

    @Test
    @DisplayName("one server under two names is refused: it would get a double share of the sessions")
    void sameServerTwice() {
        SessionConfigException failure = startFails(Map.of("SESSION_MEMCACHED", "127.0.0.1:11211,localhost:11211"));
        assertEquals(1, failure.problems().size(), failure.getMessage());
        assertTrue(failure.getMessage().contains("(localhost:11211 is another name of a server listed before it)"),
                failure.getMessage());
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
        String prefix = "p".repeat(MemcachedSettings.MAX_KEY_BYTES - MemcachedSettings.MAX_ID_CHARS + 1);
        SessionConfigException failure = startFails(Map.of("SESSION_KEY_PREFIX", prefix));
        assertNames(failure, "SESSION_KEY_PREFIX", prefix);
        assertTrue(failure.getMessage().contains("250"), failure.getMessage());
    }

    @Test
    @DisplayName("with SESSION_LOCKING the prefix must also leave room for the lock key's ':lock'; without, the same prefix is fine")
    void prefixTooLongForLockKeys() {
        String prefix = "p".repeat(MemcachedSettings.MAX_KEY_BYTES - MemcachedSettings.MAX_ID_CHARS - 2);
        SessionConfigException failure = startFails(Map.of("SESSION_KEY_PREFIX", prefix, "SESSION_LOCKING", "true"));
        assertNames(failure, "SESSION_KEY_PREFIX", prefix);
        assertTrue(failure.getMessage().contains("at most 73 bytes") && failure.getMessage().contains("SESSION_LOCKING"),
                failure.getMessage());
        MemcachedSettings.read(SessionConfig.builder().set("SESSION_TYPE", "memcached").set("SESSION_KEY_PREFIX", prefix).build());
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
    @DisplayName("a handed-in client and SESSION_MEMCACHED together are refused, naming both: the servers are set in one place")
    void clientAndServersTogether() throws Exception {
        MemcachedClient client = new MemcachedClient(new java.net.InetSocketAddress("127.0.0.1", 1));
        try {
            SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "memcached")
                    .set("SESSION_MEMCACHED", "127.0.0.1:11211").client(client).build();
            SessionConfigException failure = assertThrows(SessionConfigException.class,
                    () -> BackendRegistry.load().create(config));
            assertEquals(List.of("SESSION_MEMCACHED is set but a net.spy.memcached.MemcachedClient was also handed in"
                    + " from code; only one of them can say how to connect: remove SESSION_MEMCACHED or do not hand in"
                    + " the client"), failure.problems());
            assertEquals(Map.of(), config.unreadKeys());
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

    @Test
    @DisplayName("every memcached key is read, with the servers configured and with a client handed in")
    void everyKeyIsRead() throws Exception {
        try (MemcachedServerProcess server = MemcachedServerProcess.start()) {
            SessionConfig configured = SessionConfig.builder().set("SESSION_TYPE", "memcached")
                    .set("SESSION_MEMCACHED", server.address()).set("SESSION_MEMCACHED_TIMEOUT", "PT0.75S")
                    .set("SESSION_MEMCACHED_ITEM_SIZE_MAX", "524288").build();
            BackendRegistry.load().create(configured).close();
            assertEquals(Map.of(), configured.unreadKeys());

            MemcachedClient client = new MemcachedClient(server.socketAddress());
            try {
                SessionConfig handedIn = SessionConfig.builder().set("SESSION_TYPE", "memcached")
                        .set("SESSION_MEMCACHED_TIMEOUT", "PT0.75S").set("SESSION_MEMCACHED_ITEM_SIZE_MAX", "524288")
                        .client(client).build();
                MemcachedSettings settings = MemcachedSettings.read(handedIn);
                assertEquals(Duration.ofMillis(750), settings.timeout(), "the timeout bounds a handed-in client too");
                assertEquals(524288, settings.itemSizeMax());
                BackendRegistry.load().create(handedIn).close();
                assertEquals(Map.of(), handedIn.unreadKeys());
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    @DisplayName("closing the backend shuts down the client it built, and closing it again does nothing")
    void closeShutsDownItsOwnClient() throws Exception {
        try (MemcachedServerProcess server = MemcachedServerProcess.start()) {
            SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                    .set("SESSION_TYPE", "memcached").set("SESSION_MEMCACHED", server.address()).build());
            backend.save("session:owned", "{}".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
            assertEquals(1, ioThreadsFor(server), "spymemcached's I/O thread for " + server.address());
            backend.close();
            backend.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ioThreadsFor(server) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, ioThreadsFor(server), "the client the backend built is still running");
        }
    }

    /** spymemcached names its I/O thread after the servers it talks to. */
    private static long ioThreadsFor(MemcachedServerProcess server) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("Memcached IO over")
                        && thread.getName().contains(server.address()))
                .count();
    }

    private static byte[] roundTrip(MemcachedClient client, String key, byte[] value) {
        try (SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "memcached").client(client).build())) {
            backend.save(key, value, Duration.ofMinutes(1));
            return backend.load(key);
        }
    }
}
