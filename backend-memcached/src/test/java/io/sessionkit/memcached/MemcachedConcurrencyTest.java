package io.sessionkit.memcached;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testsupport.MemcachedServerProcess;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What conditional writes and session locks on memcached do beyond the contract (which
 * {@link MemcachedSessionBackendContractTest} and {@link MemcachedTwoNodeContractTest} run):
 * versions that are CAS values, long lifetimes, the lock item, servers without CAS, and
 * clients that speak the text protocol. On one private server; {@link MemcachedLostReplyTest}
 * covers operations whose reply is lost.
 */
class MemcachedConcurrencyTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static MemcachedServerProcess first;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        first = MemcachedServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        first.close();
    }

    @AfterEach
    void closeBackends() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }

    private static SessionConfig.Builder config() {
        return SessionConfig.builder().set("SESSION_TYPE", "memcached").set("SESSION_MEMCACHED", first.address());
    }

    private SessionBackend backend(SessionConfig.Builder config) {
        SessionBackend backend = BackendRegistry.load().create(config.build());
        opened.add(backend);
        return backend;
    }

    private SessionInterface engine(SessionConfig.Builder config) {
        SessionInterface engine = SessionInterface.create(config.build());
        opened.add(engine);
        return engine;
    }

    private static String newKey() {
        byte[] id = new byte[32];
        ThreadLocalRandom.current().nextBytes(id);
        return "session:" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("the version is the CAS value: a blind save of the very same bytes changes it, get-and-touch does not")
    void versionIsTheCasValue() {
        SessionBackend backend = backend(config());
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        String key = newKey();
        assertTrue(writes.create(key, bytes("one"), HOUR));
        long created = writes.loadVersioned(key).version();
        assertEquals(created, writes.loadVersionedAndTouch(key, HOUR.multipliedBy(2)).version());
        backend.save(key, bytes("one"), HOUR);
        long saved = writes.loadVersioned(key).version();
        assertNotEquals(created, saved);
        assertFalse(writes.replace(key, created, bytes("two"), HOUR));
        assertTrue(writes.replace(key, saved, bytes("two"), HOUR));
    }

    @Test
    @DisplayName("create, replace and locks with the default 31-day lifetime are sent as absolute times and live 31 days")
    void longLifetimesUseAbsoluteExpiry() {
        SessionBackend backend = backend(config());
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
        Duration days31 = Duration.ofDays(31);
        String key = newKey();
        assertTrue(writes.create(key, bytes("one"), days31));
        assertExpiresIn(key, days31);
        assertTrue(writes.replace(key, writes.loadVersioned(key).version(), bytes("two"), days31));
        assertExpiresIn(key, days31);
        assertArrayEquals(bytes("two"), writes.loadVersionedAndTouch(key, days31).value());
        assertExpiresIn(key, days31);
        assertTrue(locks.tryLock(key, "holder", days31));
        assertExpiresIn(key + ":lock", days31);
    }

    private void assertExpiresIn(String key, Duration expected) {
        Long left = first.timeToLiveSeconds(key);
        assertNotNull(left, "the server holds no item " + key);
        assertTrue(Math.abs(left - expected.toSeconds()) <= 5, "expires in " + left + " s, expected " + expected);
    }

    @Test
    @DisplayName("a lock is the item <key>:lock holding the token, its lease rounded up to whole seconds plus memcached's tick")
    void lockLayout() {
        SessionLocks locks = backend(config()).capability(SessionLocks.class).orElseThrow();
        String key = newKey();
        assertTrue(locks.tryLock(key, "token", Duration.ofMillis(1500)));
        assertArrayEquals(bytes("token"), first.rawItem(key + ":lock").data());
        Long left = first.timeToLiveSeconds(key + ":lock");
        assertTrue(left != null && left >= 2 && left <= 3, "lease left " + left + " s");
    }

    @Test
    @DisplayName("a server started with -C (no CAS values) fails conditional reads clearly instead of writing unconditionally")
    void serverWithoutCasIsRefused() {
        try (MemcachedServerProcess noCas = MemcachedServerProcess.start("-C")) {
            SessionBackend backend = backend(SessionConfig.builder().set("SESSION_TYPE", "memcached")
                    .set("SESSION_MEMCACHED", noCas.address()));
            ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
            String key = newKey();
            assertTrue(writes.create(key, bytes("one"), HOUR));
            SessionBackendException e = assertThrows(SessionBackendException.class, () -> writes.loadVersioned(key));
            assertEquals("load", e.operation());
            assertTrue(e.getMessage().contains("started with -C"), e.getMessage());
            assertThrows(SessionBackendException.class, () -> writes.replace(key, 0, bytes("blind"), HOUR));
            assertArrayEquals(bytes("one"), backend.load(key), "nothing was written unconditionally");
        }
    }

    @Test
    @DisplayName("the conditional methods are handed out as capabilities with the binary client SessionKit builds")
    void capabilitiesHandedOut() {
        SessionBackend backend = backend(config());
        assertTrue(backend.capability(ConditionalWrites.class).orElseThrow() instanceof MemcachedConditionalWrites);
        assertTrue(backend.capability(SessionLocks.class).orElseThrow() instanceof MemcachedSessionLocks);
        assertTrue(backend.capability(TouchingLoad.class).isPresent());
    }

    @Test
    @DisplayName("regression: a handed-in text-protocol client, which has no get-and-touch or delete-with-CAS, gets no"
            + " such capability and still serves sessions through the engine")
    void textProtocolClientWorksWithoutThoseCapabilities() throws Exception {
        MemcachedClient client = new MemcachedClient(first.socketAddress()); // spymemcached's default: text protocol
        try {
            SessionConfig.Builder config = SessionConfig.builder().set("SESSION_TYPE", "memcached").client(client);
            SessionBackend backend = backend(config);
            assertEquals(Optional.empty(), backend.capability(ConditionalWrites.class));
            assertEquals(Optional.empty(), backend.capability(SessionLocks.class));
            assertEquals(Optional.empty(), backend.capability(TouchingLoad.class));

            SessionInterface engine = engine(SessionConfig.builder().set("SESSION_TYPE", "memcached").client(client));
            Session created = engine.open(null);
            created.put("user", "ann");
            engine.save(created);
            Session read = engine.open(created.id());
            assertEquals("ann", read.get("user"));
            read.put("theme", "dark");
            engine.save(read);
            assertEquals("dark", engine.open(created.id()).get("theme"));
        } finally {
            closeBackends();
            client.shutdown();
        }
    }
}
