package io.sessionkit.testkit;

import io.sessionkit.ConfigKeys;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import io.sessionkit.spi.TouchingLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The behaviour every {@link SessionBackend} must show, as a JUnit 5 test class to extend.
 * A store, ours or a third party's, proves itself with a subclass of a few lines:
 * <pre>{@code
 * class MyStoreContractTest extends SessionBackendContract {
 *     protected String type() { return "mystore"; }
 *     protected void configure(SessionConfig.Builder config) {
 *         config.set("SESSION_MYSTORE_URL", server.url());
 *     }
 * }
 * }</pre>
 * Each test gets a fresh backend created through {@link java.util.ServiceLoader} by its
 * type, exactly as an application gets it, with a {@link MutableClock} as its clock and a
 * key prefix of its own.
 *
 * <p>Stores that check expiry themselves must read the time from
 * {@link SessionConfig#clock()}; the expiry tests then move the clock instead of sleeping.
 * Stores whose server expires entries by its own clock (Redis, memcached) return
 * {@code true} from {@link #expiresByServerClock()}; their expiry tests wait real time,
 * with a short time to live.
 */
public abstract class SessionBackendContract {

    /** Where {@link #clock} starts for each test. */
    protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    /** The clock handed to the backend through {@link SessionConfig#clock()}. */
    protected final MutableClock clock = new MutableClock(START);

    private SessionBackend backend;
    private String keyPrefix;

    /**
     * @return the {@code SESSION_TYPE} under which the store's provider registers
     */
    protected abstract String type();

    /**
     * Adds the store's own keys (server address, table, ...) or client object. The builder
     * already holds {@code SESSION_TYPE}, a unique {@code SESSION_KEY_PREFIX} and the clock.
     *
     * @param config the builder to add to
     */
    protected abstract void configure(SessionConfig.Builder config);

    /**
     * @return {@code true} when the store's server expires entries by its own clock, so the
     *         expiry tests must wait real time instead of moving {@link #clock}
     */
    protected boolean expiresByServerClock() {
        return false;
    }

    /**
     * @return the time to live used by expiry tests of a store that
     *         {@linkplain #expiresByServerClock() expires by its server's clock}; default 1 s
     */
    protected Duration serverClockTimeToLive() {
        return Duration.ofSeconds(1);
    }

    /**
     * @return the size of the large-payload test's value; default 512 KiB
     */
    protected int largePayloadSize() {
        return 512 * 1024;
    }

    /**
     * @return the backend under test, created for this test
     */
    protected final SessionBackend backend() {
        return backend;
    }

    /**
     * @return a fresh key as the engine would build it: the test's prefix and a random id
     */
    protected final String newKey() {
        byte[] id = new byte[32];
        ThreadLocalRandom.current().nextBytes(id);
        return keyPrefix + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /**
     * @return a configuration builder as the tests use it: type, unique prefix, clock and the
     *         store's own keys
     */
    protected final SessionConfig.Builder configBuilder() {
        SessionConfig.Builder config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, type())
                .set(ConfigKeys.SESSION_KEY_PREFIX, keyPrefix)
                .clock(clock);
        configure(config);
        return config;
    }

    /**
     * @return a new backend from {@link #configBuilder()}, created through the registry
     */
    protected final SessionBackend createBackend() {
        return BackendRegistry.load().create(configBuilder().build());
    }

    @BeforeEach
    void createBackendForTest() {
        keyPrefix = "contract-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        backend = createBackend();
    }

    @AfterEach
    void closeBackendAfterTest() {
        if (backend != null) {
            backend.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final Duration HOUR = Duration.ofHours(1);

    @Nested
    @DisplayName("load, save and delete")
    class Basics {

        @Test
        @DisplayName("an unknown key loads as null")
        void unknownKeyLoadsAsNull() {
            assertNull(backend.load(newKey()));
        }

        @Test
        @DisplayName("saved bytes load back equal")
        void savedBytesLoadBack() {
            String key = newKey();
            backend.save(key, bytes("{\"cart\":[1,2]}"), HOUR);
            assertArrayEquals(bytes("{\"cart\":[1,2]}"), backend.load(key));
        }

        @Test
        @DisplayName("a second save replaces the first")
        void saveOverwrites() {
            String key = newKey();
            backend.save(key, bytes("first"), HOUR);
            backend.save(key, bytes("second, and longer than the first"), HOUR);
            assertArrayEquals(bytes("second, and longer than the first"), backend.load(key));
            backend.save(key, bytes("3rd"), HOUR);
            assertArrayEquals(bytes("3rd"), backend.load(key));
        }

        @Test
        @DisplayName("keys are independent")
        void keysAreIndependent() {
            String a = newKey();
            String b = newKey();
            backend.save(a, bytes("a"), HOUR);
            backend.save(b, bytes("b"), HOUR);
            backend.delete(a);
            assertNull(backend.load(a));
            assertArrayEquals(bytes("b"), backend.load(b));
        }

        @Test
        @DisplayName("delete removes the entry, and deleting an absent key does nothing")
        void deleteRemoves() {
            String key = newKey();
            backend.save(key, bytes("x"), HOUR);
            backend.delete(key);
            assertNull(backend.load(key));
            assertDoesNotThrow(() -> backend.delete(key));
            assertDoesNotThrow(() -> backend.delete(newKey()));
        }

        @Test
        @DisplayName("touching an absent key does not create it")
        void touchDoesNotCreate() {
            String key = newKey();
            backend.touch(key, HOUR);
            assertNull(backend.load(key));
        }

        @Test
        @DisplayName("the saved array is not kept by reference")
        void saveCopiesOrWritesThrough() {
            String key = newKey();
            byte[] value = bytes("original");
            backend.save(key, value, HOUR);
            value[0] = 'X';
            assertArrayEquals(bytes("original"), backend.load(key));
        }
    }

    @Nested
    @DisplayName("payloads")
    class Payloads {

        @Test
        @DisplayName("every byte value survives a round trip")
        void binarySafe() {
            byte[] all = new byte[512];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            String key = newKey();
            backend.save(key, all, HOUR);
            assertArrayEquals(all, backend.load(key));
        }

        @Test
        @DisplayName("non-ASCII text survives a round trip")
        void unicodeSafe() {
            byte[] text = bytes("{\"name\":\"Zoë 🛒 корзина 購物車\"}");
            String key = newKey();
            backend.save(key, text, HOUR);
            assertArrayEquals(text, backend.load(key));
        }

        @Test
        @DisplayName("a large payload survives a round trip")
        void largePayload() {
            byte[] large = new byte[largePayloadSize()];
            ThreadLocalRandom.current().nextBytes(large);
            String key = newKey();
            backend.save(key, large, HOUR);
            assertArrayEquals(large, backend.load(key));
        }
    }

    @Nested
    @DisplayName("expiry")
    class Expiry {

        private Duration ttl() {
            return expiresByServerClock() ? serverClockTimeToLive() : HOUR;
        }

        /** Lets {@code amount} pass for the store: the clock moves, or real time elapses. */
        private void letTimePass(Duration amount) throws InterruptedException {
            if (expiresByServerClock()) {
                Thread.sleep(amount.toMillis());
            } else {
                clock.advance(amount);
            }
        }

        private void assertExpires(String key) throws InterruptedException {
            if (!expiresByServerClock()) {
                clock.advance(ttl().plusSeconds(1));
                assertNull(backend.load(key), "entry still returned after its time to live");
                return;
            }
            long deadline = System.nanoTime() + ttl().multipliedBy(3).plusSeconds(2).toNanos();
            while (backend.load(key) != null) {
                assertTrue(System.nanoTime() < deadline, "entry still returned long after its time to live");
                Thread.sleep(50);
            }
        }

        @Test
        @DisplayName("an entry is returned within its time to live")
        void liveEntryReturned() throws InterruptedException {
            String key = newKey();
            backend.save(key, bytes("x"), ttl());
            letTimePass(ttl().dividedBy(4));
            assertArrayEquals(bytes("x"), backend.load(key));
        }

        @Test
        @DisplayName("an entry past its time to live is never returned")
        void expiredEntryNotReturned() throws InterruptedException {
            String key = newKey();
            backend.save(key, bytes("x"), ttl());
            assertExpires(key);
        }

        @Test
        @DisplayName("touch extends the time to live without changing the bytes")
        void touchExtends() throws InterruptedException {
            String key = newKey();
            backend.save(key, bytes("kept"), ttl());
            letTimePass(ttl().multipliedBy(3).dividedBy(5));
            backend.touch(key, ttl());
            letTimePass(ttl().multipliedBy(3).dividedBy(5));
            assertArrayEquals(bytes("kept"), backend.load(key), "touched entry expired at its first deadline");
            assertExpires(key);
        }

        @Test
        @DisplayName("a save sets a new time to live")
        void saveResetsTimeToLive() throws InterruptedException {
            String key = newKey();
            backend.save(key, bytes("one"), ttl());
            letTimePass(ttl().multipliedBy(3).dividedBy(5));
            backend.save(key, bytes("two"), ttl());
            letTimePass(ttl().multipliedBy(3).dividedBy(5));
            assertArrayEquals(bytes("two"), backend.load(key));
        }

        @Test
        @DisplayName("loadAndTouch, where offered, reads and extends in one call")
        void loadAndTouch() throws InterruptedException {
            if (!(backend instanceof TouchingLoad touching)) {
                assertNull(backend.load(newKey()), "a backend without TouchingLoad still loads absent keys as null");
                return;
            }
            String key = newKey();
            assertNull(touching.loadAndTouch(key, ttl()));
            backend.save(key, bytes("kept"), ttl());
            letTimePass(ttl().multipliedBy(3).dividedBy(5));
            assertArrayEquals(bytes("kept"), touching.loadAndTouch(key, ttl()));
            letTimePass(ttl().multipliedBy(3).dividedBy(5));
            assertArrayEquals(bytes("kept"), backend.load(key), "loadAndTouch did not extend the time to live");
        }
    }

    @Nested
    @DisplayName("concurrency")
    class Concurrency {

        @Test
        @DisplayName("many threads saving, loading and deleting their own keys see only their own data")
        void independentKeysFromManyThreads() throws Exception {
            int threads = 8;
            int rounds = 40;
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    String key = newKey();
                    for (int round = 0; round < rounds; round++) {
                        byte[] value = bytes("thread " + thread + " round " + round);
                        backend.save(key, value, HOUR);
                        assertArrayEquals(value, backend.load(key));
                        if (round % 10 == 9) {
                            backend.delete(key);
                            assertNull(backend.load(key));
                        }
                    }
                    return null;
                });
            }
            runAll(tasks);
        }

        @Test
        @DisplayName("concurrent saves of one key leave one whole value, never a mix")
        void concurrentSavesOfOneKeyAreAtomic() throws Exception {
            String key = newKey();
            int threads = 8;
            Set<String> written = new HashSet<>();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                char fill = (char) ('a' + t);
                byte[] value = new byte[16 * 1024 + t * 1024];
                Arrays.fill(value, (byte) fill);
                written.add(new String(value, java.nio.charset.StandardCharsets.US_ASCII));
                tasks.add(() -> {
                    for (int round = 0; round < 20; round++) {
                        backend.save(key, value, HOUR);
                        byte[] seen = backend.load(key);
                        assertNotNull(seen, "a reader saw no value while another thread overwrote it");
                        assertTrue(written.contains(new String(seen, java.nio.charset.StandardCharsets.US_ASCII)),
                                "a reader saw a value no thread wrote (torn write)");
                    }
                    return null;
                });
            }
            runAll(tasks);
        }

        private void runAll(List<Callable<Void>> tasks) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
            try {
                List<Future<Void>> results = pool.invokeAll(tasks, 2, TimeUnit.MINUTES);
                for (Future<Void> result : results) {
                    assertFalse(result.isCancelled(), "a thread did not finish within 2 minutes");
                    result.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("life cycle and discovery")
    class LifeCycle {

        @Test
        @DisplayName("the provider is found through ServiceLoader by its type")
        void providerDiscoverable() {
            List<SessionBackendProvider> found = ServiceLoader.load(SessionBackendProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(provider -> provider.type().equals(type()))
                    .toList();
            assertEquals(1, found.size(), "providers registered for type '" + type() + "': " + found);
            assertEquals(type(), BackendRegistry.load().provider(type()).type());
        }

        @Test
        @DisplayName("the provider has a public no-argument constructor")
        void providerHasNoArgConstructor() throws ReflectiveOperationException {
            Class<? extends SessionBackendProvider> providerClass = BackendRegistry.load().provider(type()).getClass();
            assertTrue(java.lang.reflect.Modifier.isPublic(providerClass.getModifiers()), providerClass + " is not public");
            assertEquals(type(), providerClass.getConstructor().newInstance().type());
        }

        @Test
        @DisplayName("close releases the backend and may be called twice")
        void closeIsIdempotent() {
            SessionBackend other = createBackend();
            String key = newKey();
            other.save(key, bytes("x"), HOUR);
            other.close();
            assertDoesNotThrow(other::close);
            assertArrayEquals(bytes("x"), backend.load(key), "data saved before close is kept in the store");
        }

        @Test
        @DisplayName("a second backend on the same configuration sees the first one's data")
        void dataIsShared() {
            String key = newKey();
            backend.save(key, bytes("shared"), HOUR);
            try (SessionBackend other = createBackend()) {
                assertArrayEquals(bytes("shared"), other.load(key));
            }
        }
    }
}
