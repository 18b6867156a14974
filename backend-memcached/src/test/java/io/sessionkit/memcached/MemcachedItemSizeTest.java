package io.sessionkit.memcached;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values near memcached's item size limit, and values stored exactly as given. */
class MemcachedItemSizeTest {

    /** The longest prefix SESSION_KEY_PREFIX may have, so that keys are as long as they get (250 bytes). */
    private static final String LONGEST_PREFIX = "p".repeat(MemcachedSettings.MAX_KEY_BYTES - MemcachedSettings.MAX_ID_CHARS);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final byte[] OLD = "{\"old\":true}".getBytes(StandardCharsets.UTF_8);

    private static MemcachedServerProcess server;

    @BeforeAll
    static void startServer() {
        server = MemcachedServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static SessionBackend backend(MemcachedServerProcess on, Map<String, String> settings) {
        SessionConfig.Builder config = SessionConfig.builder()
                .set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", on.address())
                .set("SESSION_KEY_PREFIX", LONGEST_PREFIX);
        settings.forEach(config::set);
        return BackendRegistry.load().create(config.build());
    }

    private static String longestKey() {
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return LONGEST_PREFIX + id + "x".repeat(MemcachedSettings.MAX_ID_CHARS - id.length());
    }

    private static byte[] randomBytes(long size) {
        byte[] value = new byte[Math.toIntExact(size)];
        ThreadLocalRandom.current().nextBytes(value);
        return value;
    }

    @Test
    @DisplayName("a session over the item size limit is refused before it is sent, and the stored one is kept")
    void oversizedSessionRefusedAndOldValueKept() {
        try (SessionBackend backend = backend(server, Map.of())) {
            String key = longestKey();
            backend.save(key, OLD, HOUR);
            // SESSION_MAX_SIZE's default (1 MiB) lets this through to the store; memcached's 1 MiB item holds less.
            byte[] oneMebibyte = randomBytes(SessionConfig.DEFAULT_MAX_SIZE);
            SessionTooLargeException refused = assertThrows(SessionTooLargeException.class,
                    () -> backend.save(key, oneMebibyte, HOUR));
            assertTrue(refused.getMessage().contains("SESSION_MEMCACHED_ITEM_SIZE_MAX"), refused.getMessage());
            assertEquals(oneMebibyte.length, refused.size());
            assertArrayEquals(OLD, backend.load(key), "the stored session was lost");
        }
    }

    @Test
    @DisplayName("the largest value the limit check lets through is accepted by memcached, with the longest key")
    void largestAllowedValueIsStored() {
        try (SessionBackend backend = backend(server, Map.of())) {
            String key = longestKey();
            assertEquals(MemcachedSettings.MAX_KEY_BYTES, key.length());
            long largest = ((MemcachedSessionBackend) backend).largestValueFor(key);
            assertTrue(largest > 1_000_000, "the limit check leaves " + largest + " bytes");
            byte[] value = randomBytes(largest);
            backend.save(key, value, HOUR);
            assertArrayEquals(value, backend.load(key));
            assertThrows(SessionTooLargeException.class, () -> backend.save(key, randomBytes(largest + 1), HOUR));
            assertArrayEquals(value, backend.load(key));
        }
    }

    @Test
    @DisplayName("SESSION_MEMCACHED_ITEM_SIZE_MAX set to a server's -I keeps its refusals on our side")
    void configuredLimitMatchesSmallerServer() {
        try (MemcachedServerProcess small = MemcachedServerProcess.start("-I", "512k");
             SessionBackend backend = backend(small, Map.of("SESSION_MEMCACHED_ITEM_SIZE_MAX", "524288"))) {
            String key = longestKey();
            backend.save(key, OLD, HOUR);
            assertThrows(SessionTooLargeException.class, () -> backend.save(key, randomBytes(524_000), HOUR));
            assertArrayEquals(OLD, backend.load(key));
        }
    }

    @Test
    @DisplayName("a server whose -I is below SESSION_MEMCACHED_ITEM_SIZE_MAX gives a store error naming the key to fix")
    void smallerServerThanConfiguredIsReported() {
        try (MemcachedServerProcess small = MemcachedServerProcess.start("-I", "512k");
             SessionBackend backend = backend(small, Map.of())) {
            String key = longestKey();
            backend.save(key, OLD, HOUR);
            SessionBackendException refused = assertThrows(SessionBackendException.class,
                    () -> backend.save(key, randomBytes(600_000), HOUR));
            assertEquals("save", refused.operation());
            assertTrue(refused.getMessage().contains("item size limit")
                    && refused.getMessage().contains("SESSION_MEMCACHED_ITEM_SIZE_MAX"), refused.getMessage());
            // What the message warns of: memcached itself drops the stored item when it refuses a write.
            assertNull(backend.load(key), "memcached kept the old item; the error message says it drops it");
        }
    }

    @Test
    @DisplayName("values are stored as they are: not compressed, not serialized, flags 0, readable by any client")
    void valuesStoredRaw() {
        try (SessionBackend backend = backend(server, Map.of())) {
            String key = longestKey();
            // Highly compressible and over spymemcached's 16 KiB compression threshold.
            byte[] zeros = new byte[100 * 1024];
            backend.save(key, zeros, HOUR);
            MemcachedServerProcess.Item item = server.rawItem(key);
            assertEquals(0, item.flags());
            assertArrayEquals(zeros, item.data());
            assertTrue(Arrays.equals(zeros, backend.load(key)));
        }
    }
}
