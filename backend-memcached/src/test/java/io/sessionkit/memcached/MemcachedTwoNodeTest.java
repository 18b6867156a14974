package io.sessionkit.memcached;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.MemcachedServerProcess;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.KetamaNodeLocator;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.MemcachedNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two memcached servers: how sessions spread over them, and what happens when one stops. */
class MemcachedTwoNodeTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final int SESSIONS = 200;

    private MemcachedServerProcess first;
    private MemcachedServerProcess second;

    @BeforeEach
    void startServers() {
        first = MemcachedServerProcess.start();
        second = MemcachedServerProcess.start();
    }

    @AfterEach
    void stopServers() {
        first.close();
        second.close();
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder()
                .set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", first.address() + "," + second.address());
    }

    private static String newKey() {
        byte[] id = new byte[32];
        ThreadLocalRandom.current().nextBytes(id);
        return "session:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static byte[] valueOf(String key) {
        return ("{\"key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> saveSessions(SessionBackend backend, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = newKey();
            backend.save(key, valueOf(key), HOUR);
            keys.add(key);
        }
        return keys;
    }

    @Test
    @DisplayName("sessions are spread over both servers, each held by exactly one")
    void sessionsSpreadOverBothServers() {
        try (SessionBackend backend = BackendRegistry.load().create(config().build())) {
            List<String> keys = saveSessions(backend, SESSIONS);
            long onFirst = first.itemCount();
            long onSecond = second.itemCount();
            assertEquals(SESSIONS, onFirst + onSecond, "items on " + first.address() + " and " + second.address());
            // Ketama splits keys roughly in half; a wide band leaves room for chance.
            assertTrue(onFirst > SESSIONS / 5 && onSecond > SESSIONS / 5,
                    "uneven spread: " + onFirst + " and " + onSecond);
            for (String key : keys) {
                assertArrayEquals(valueOf(key), backend.load(key));
            }
        }
    }

    @Test
    @DisplayName("when one server stops, its sessions load as absent, the other's still load, and new sessions are saved")
    void oneServerDownRedistributes() {
        try (SessionBackend backend = BackendRegistry.load().create(config().build())) {
            List<String> keys = saveSessions(backend, SESSIONS);
            Set<String> onSecond = keys.stream().filter(second::holds).collect(Collectors.toSet());
            assertFalse(onSecond.isEmpty(), "no session was placed on " + second.address());

            second.stop();

            for (String key : keys) {
                if (onSecond.contains(key)) {
                    assertNull(backend.load(key), "a session of the stopped server must load as absent");
                    backend.touch(key, HOUR); // refreshing a lost session is a no-op, not an error
                } else {
                    assertArrayEquals(valueOf(key), backend.load(key), "a session of the running server was lost");
                }
            }
            List<String> savedDuringOutage = saveSessions(backend, 50);
            for (String key : savedDuringOutage) {
                assertArrayEquals(valueOf(key), backend.load(key));
            }
            assertEquals(keys.size() - onSecond.size() + savedDuringOutage.size(), first.itemCount(),
                    "sessions saved while " + second.address() + " was down go to " + first.address());
        }
    }

    @Test
    @DisplayName("regression: a key whose seven Ketama fallbacks all hash to the stopped server still moves, not times out")
    void keyWithOnlyDeadFallbacksStillMoves() throws Exception {
        List<String> unlucky = keysWhoseKetamaSequenceIsOnly(second, 3);
        try (SessionBackend backend = BackendRegistry.load().create(config().build())) {
            for (String key : unlucky) {
                backend.save(key, valueOf(key), HOUR);
            }
            assertEquals(unlucky.size(), second.itemCount());
            second.stop();
            for (String key : unlucky) {
                assertNull(backend.load(key), "a session of the stopped server must load as absent");
                backend.save(key, valueOf(key), HOUR);
                assertArrayEquals(valueOf(key), backend.load(key));
            }
            assertEquals(unlucky.size(), first.itemCount());
        }
    }

    /** Keys for which spymemcached's own Ketama locator offers only {@code server}, as primary and as every fallback. */
    private List<String> keysWhoseKetamaSequenceIsOnly(MemcachedServerProcess server, int count) throws Exception {
        MemcachedClient probe = new MemcachedClient(first.socketAddress(), second.socketAddress());
        try {
            KetamaNodeLocator plain = new KetamaNodeLocator(new ArrayList<>(probe.getNodeLocator().getAll()),
                    DefaultHashAlgorithm.KETAMA_HASH);
            List<String> keys = new ArrayList<>();
            while (keys.size() < count) {
                String key = newKey();
                List<MemcachedNode> sequence = new ArrayList<>();
                sequence.add(plain.getPrimary(key));
                plain.getSequence(key).forEachRemaining(sequence::add);
                if (sequence.stream().allMatch(node -> node.getSocketAddress().equals(server.socketAddress()))) {
                    keys.add(key);
                }
            }
            return keys;
        } finally {
            probe.shutdown();
        }
    }
}
