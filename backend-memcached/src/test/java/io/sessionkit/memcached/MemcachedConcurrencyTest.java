package io.sessionkit.memcached;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.spi.VersionedEntry;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditional writes and session locks on memcached, on one server and on two (where a session
 * and its lock key may live on different servers): what each method promises, races between
 * threads, and the engine's guarantees (no lost update, no resurrection, serialised
 * read-modify-write) on top of them.
 */
class MemcachedConcurrencyTest {

    /** Which servers the backend is given. */
    enum Servers { ONE, TWO }

    private static final Duration HOUR = Duration.ofHours(1);
    private static final int THREADS = 8;
    private static final int ROUNDS = 20;

    private static MemcachedServer first;
    private static MemcachedServer second;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        first = MemcachedServer.launch();
        second = MemcachedServer.launch();
    }

    @AfterAll
    static void stopServers() {
        first.close();
        second.close();
    }

    @AfterEach
    void closeBackends() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private static SessionConfig.Builder config(Servers servers) {
        return SessionConfig.builder().set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", servers == Servers.ONE ? first.address() : first.address() + "," + second.address());
    }

    private SessionBackend backend(SessionConfig.Builder config) {
        SessionBackend backend = BackendRegistry.load().create(config.build());
        opened.add(backend);
        return backend;
    }

    private ConditionalWrites writes(Servers servers) {
        return backend(config(servers)).capability(ConditionalWrites.class).orElseThrow();
    }

    private SessionLocks locks(Servers servers) {
        return backend(config(servers)).capability(SessionLocks.class).orElseThrow();
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code task} on {@code threads} threads at once and returns their answers. */
    private static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Nested
    @DisplayName("conditional writes")
    class Writes {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("the version (the CAS value) changes with every write, blind saves included, and not with touch or get-and-touch")
        void versionFollowsWrites(Servers servers) {
            SessionBackend backend = backend(config(servers));
            ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
            String key = newKey();
            assertTrue(writes.create(key, bytes("one"), HOUR));
            long created = writes.loadVersioned(key).version();

            backend.touch(key, HOUR.multipliedBy(2));
            assertEquals(created, writes.loadVersionedAndTouch(key, HOUR).version(), "a touch is not a change");
            assertEquals(created, writes.loadVersioned(key).version(), "nor is a get-and-touch");

            assertTrue(writes.replace(key, created, bytes("two"), HOUR));
            long replaced = writes.loadVersioned(key).version();
            assertNotEquals(created, replaced);

            backend.save(key, bytes("two"), HOUR);
            VersionedEntry saved = writes.loadVersioned(key);
            assertNotEquals(replaced, saved.version(), "a blind save is a change, even of the same bytes");
            assertFalse(writes.replace(key, replaced, bytes("three"), HOUR), "the blind save made the version stale");
            assertTrue(writes.replace(key, saved.version(), bytes("three"), HOUR));
            assertArrayEquals(bytes("three"), backend.load(key));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("a stale version is refused and changes nothing")
        void staleVersionRefused(Servers servers) {
            ConditionalWrites writes = writes(servers);
            String key = newKey();
            writes.create(key, bytes("one"), HOUR);
            long read = writes.loadVersioned(key).version();
            assertTrue(writes.replace(key, read, bytes("two"), HOUR));
            assertFalse(writes.replace(key, read, bytes("three"), HOUR));
            assertFalse(writes.delete(key, read));
            assertArrayEquals(bytes("two"), writes.loadVersioned(key).value());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("create twice is refused, even with the same bytes, and keeps the first")
        void createTwiceRefused(Servers servers) {
            ConditionalWrites writes = writes(servers);
            String key = newKey();
            assertTrue(writes.create(key, bytes("first"), HOUR));
            assertFalse(writes.create(key, bytes("second"), HOUR));
            assertFalse(writes.create(key, bytes("first"), HOUR));
            assertArrayEquals(bytes("first"), writes.loadVersioned(key).value());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("an expired entry counts as absent: create succeeds over it, replace and delete are refused")
        void expiredEntryIsAbsent(Servers servers) {
            ConditionalWrites writes = writes(servers);
            String key = newKey();
            writes.create(key, bytes("short"), Duration.ofSeconds(1));
            long version = writes.loadVersioned(key).version();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (writes.loadVersioned(key) != null) {
                assertTrue(System.nanoTime() < deadline, "the entry did not expire");
                pause(100);
            }
            assertFalse(writes.replace(key, version, bytes("late"), HOUR));
            assertFalse(writes.delete(key, version));
            assertNull(writes.loadVersioned(key), "a refused replace must not bring the entry back");
            assertTrue(writes.create(key, bytes("new"), HOUR));
            assertArrayEquals(bytes("new"), writes.loadVersioned(key).value());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("replace and delete of a deleted entry are refused and do not recreate it")
        void deletedEntryStaysDeleted(Servers servers) {
            ConditionalWrites writes = writes(servers);
            String key = newKey();
            writes.create(key, bytes("one"), HOUR);
            long version = writes.loadVersioned(key).version();
            assertTrue(writes.delete(key, version));
            assertNull(writes.loadVersioned(key));
            assertFalse(writes.replace(key, version, bytes("two"), HOUR));
            assertFalse(writes.delete(key, version));
            assertNull(writes.loadVersioned(key));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("threads racing to replace one version: exactly one wins each round")
        void racingReplacesHaveOneWinner(Servers servers) throws Exception {
            ConditionalWrites writes = writes(servers);
            String key = newKey();
            writes.create(key, bytes("round 0"), HOUR);
            for (int round = 1; round <= ROUNDS; round++) {
                long version = writes.loadVersioned(key).version();
                int thisRound = round;
                List<Boolean> won = race(THREADS, () -> writes.replace(key, version,
                        bytes("round " + thisRound + " by " + Thread.currentThread().getName()), HOUR));
                assertEquals(1, won.stream().filter(w -> w).count(), "winners in round " + round + ": " + won);
            }
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("threads racing to create one key: exactly one wins")
        void racingCreatesHaveOneWinner(Servers servers) throws Exception {
            ConditionalWrites writes = writes(servers);
            String key = newKey();
            List<Boolean> won = race(THREADS, () -> writes.create(key, bytes(Thread.currentThread().getName()), HOUR));
            assertEquals(1, won.stream().filter(w -> w).count(), won.toString());
        }
    }

    @Nested
    @DisplayName("session locks")
    class Locks {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("a lock is exclusive, and only its holder's token releases it")
        void exclusiveAndReleasedOnlyByItsHolder(Servers servers) {
            SessionLocks locks = locks(servers);
            String key = newKey();
            assertTrue(locks.tryLock(key, "holder", HOUR));
            assertFalse(locks.tryLock(key, "other", HOUR));
            locks.unlock(key, "other");
            assertFalse(locks.tryLock(key, "third", HOUR), "a wrong token released the lock");
            locks.unlock(key, "holder");
            assertTrue(locks.tryLock(key, "third", HOUR));
            locks.unlock(key, "third");
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("a lock whose lease ran out can be taken over, not before, and its old holder's unlock leaves the new one alone")
        void expiredLeaseTakenOver(Servers servers) {
            SessionLocks locks = locks(servers);
            String key = newKey();
            Duration lease = Duration.ofMillis(300);
            long start = System.nanoTime();
            assertTrue(locks.tryLock(key, "crashed", lease));
            while (!locks.tryLock(key, "next", HOUR)) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the lease never ran out");
                pause(50);
            }
            assertTrue(System.nanoTime() - start >= lease.toNanos(), "taken over before the lease ran out");
            locks.unlock(key, "crashed");
            assertFalse(locks.tryLock(key, "third", HOUR), "the old holder released the new holder's lock");
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("threads racing for one lock: exactly one gets it each round")
        void racingLocksHaveOneWinner(Servers servers) throws Exception {
            SessionLocks locks = locks(servers);
            String key = newKey();
            for (int round = 1; round <= ROUNDS; round++) {
                List<String> winners = race(THREADS, () -> {
                    String token = Thread.currentThread().getName() + "-" + ThreadLocalRandom.current().nextLong();
                    return locks.tryLock(key, token, HOUR) ? token : null;
                }).stream().filter(token -> token != null).toList();
                assertEquals(1, winners.size(), "winners in round " + round + ": " + winners);
                locks.unlock(key, winners.get(0));
            }
        }
    }

    @Nested
    @DisplayName("through the engine")
    class Engine {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("16 concurrent requests each setting its own key: all 16 are stored")
        void sixteenConcurrentRequestsKeepAllSixteenKeys(Servers servers) throws Exception {
            SessionInterface engine = engine(config(servers));
            Session created = engine.open(null);
            created.put("user", "ann");
            engine.save(created);
            String id = created.id();
            CyclicBarrier allLoaded = new CyclicBarrier(16);
            race(16, () -> {
                Session session = engine.open(id);
                session.size(); // every request reads the same version before any saves
                allLoaded.await(10, TimeUnit.SECONDS);
                session.put("key-" + Thread.currentThread().getName(), "set");
                engine.save(session);
                return null;
            });
            Session result = engine.open(id);
            assertEquals(17, result.size(), "user and the sixteen keys: " + result.keySet());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("a logout racing a slow request: the session stays gone and no Set-Cookie revives it")
        void logoutIsNotUndoneByASlowRequest(Servers servers) {
            SessionInterface engine = engine(config(servers));
            Session created = engine.open(null);
            created.put("user", "ann");
            engine.save(created);
            String id = created.id();

            Session slow = engine.open(id);
            slow.put("cart", List.of("apple"));
            Session logout = engine.open(id);
            logout.invalidate();
            engine.save(logout);
            SaveResult result = engine.save(slow);

            assertNull(result.setCookieHeader(), "no cookie revives the ended session");
            assertTrue(engine.open(id).isNew(), "the session stays gone");
            assertNull(backend(config(servers)).load("session:" + id));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Servers.class)
        @DisplayName("with SESSION_LOCKING, 40 concurrent read-increment-write requests count to 40")
        void lockingSerialisesReadModifyWrite(Servers servers) throws Exception {
            SessionInterface engine = engine(config(servers).set("SESSION_LOCKING", "true"));
            Session created = engine.open(null);
            created.put("count", 0);
            engine.save(created);
            String id = created.id();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> requests = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    requests.add(pool.submit(() -> {
                        Session session = engine.open(id);
                        session.put("count", ((Number) session.get("count")).intValue() + 1);
                        engine.save(session);
                        return null;
                    }));
                }
                for (Future<?> request : requests) {
                    request.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(40, engine.open(id).get("count"));
        }
    }

    @Nested
    @DisplayName("memcached specifics")
    class Specifics {

        @Test
        @DisplayName("create, replace and locks with the default 31-day lifetime are sent as absolute times and live 31 days")
        void longLifetimesUseAbsoluteExpiry() {
            SessionBackend backend = backend(config(Servers.ONE));
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
            SessionLocks locks = locks(Servers.ONE);
            String key = newKey();
            assertTrue(locks.tryLock(key, "token", Duration.ofMillis(1500)));
            assertArrayEquals(bytes("token"), first.rawItem(key + ":lock").data());
            Long left = first.timeToLiveSeconds(key + ":lock");
            assertTrue(left != null && left >= 2 && left <= 3, "lease left " + left + " s");
        }

        @Test
        @DisplayName("a server started with -C (no CAS values) fails conditional reads clearly instead of writing unconditionally")
        void serverWithoutCasIsRefused() {
            try (MemcachedServer noCas = MemcachedServer.launch("-C")) {
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
            SessionBackend backend = backend(config(Servers.ONE));
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
                opened.clear();
                client.shutdown();
            }
        }
    }

    /**
     * A reply lost after the server ran the operation: spymemcached cancels an operation whose
     * connection drops while it waits for the answer, the backend sends it once more (after the
     * reconnect, about 2 s), and each method must then find out whether its first attempt ran.
     */
    @Nested
    @DisplayName("when the connection breaks after the operation ran")
    class LostReplies {

        private ReplyDroppingProxy proxy;
        private SessionBackend direct;
        private ConditionalWrites writes;
        private SessionLocks locks;
        private String key;

        @BeforeEach
        void connectThroughProxy() {
            proxy = ReplyDroppingProxy.to(first.port());
            opened.add(proxy);
            SessionBackend backend = backend(SessionConfig.builder().set("SESSION_TYPE", "memcached")
                    .set("SESSION_MEMCACHED", "127.0.0.1:" + proxy.port()).set("SESSION_MEMCACHED_TIMEOUT", "PT5S"));
            direct = backend(config(Servers.ONE));
            writes = backend.capability(ConditionalWrites.class).orElseThrow();
            locks = backend.capability(SessionLocks.class).orElseThrow();
            key = newKey();
            writes.create(key, bytes("one"), HOUR);
        }

        @Test
        @DisplayName("a cas that ran is reported as done, not as a conflict")
        void replaceThatRanIsDone() {
            long version = writes.loadVersioned(key).version();
            proxy.dropNextReply(() -> { });
            assertTrue(writes.replace(key, version, bytes("two"), HOUR));
            assertTrue(proxy.dropped());
            assertArrayEquals(bytes("two"), direct.load(key));
        }

        @Test
        @DisplayName("a cas that ran and was overwritten before it was sent again fails as unknown instead of merging twice")
        void replaceThatRanAndWasOverwrittenFails() {
            long version = writes.loadVersioned(key).version();
            proxy.dropNextReply(() -> direct.save(key, bytes("later request"), HOUR));
            SessionBackendException e = assertThrows(SessionBackendException.class,
                    () -> writes.replace(key, version, bytes("two"), HOUR));
            assertEquals("save", e.operation());
            assertTrue(e.getMessage().contains("may or may not have been"), e.getMessage());
            assertArrayEquals(bytes("later request"), direct.load(key), "nothing more was written");
        }

        @Test
        @DisplayName("a cas that ran before its entry was deleted reports the entry gone")
        void replaceThatRanThenDeletedIsGone() {
            long version = writes.loadVersioned(key).version();
            proxy.dropNextReply(() -> direct.delete(key));
            assertFalse(writes.replace(key, version, bytes("two"), HOUR));
            assertNull(direct.load(key), "not recreated");
        }

        @Test
        @DisplayName("an add that ran is reported as created, not as an id already taken")
        void createThatRanIsCreated() {
            String fresh = newKey();
            proxy.dropNextReply(() -> { });
            assertTrue(writes.create(fresh, bytes("new"), HOUR));
            assertTrue(proxy.dropped());
            assertArrayEquals(bytes("new"), direct.load(fresh));
        }

        @Test
        @DisplayName("a lock whose add ran belongs to its holder, instead of blocking it until the lease ends")
        void lockThatRanIsHeld() {
            proxy.dropNextReply(() -> { });
            assertTrue(locks.tryLock(key, "holder", HOUR));
            assertTrue(proxy.dropped());
            assertFalse(locks.tryLock(key, "other", HOUR));
            locks.unlock(key, "holder");
            assertTrue(locks.tryLock(key, "other", HOUR));
        }

        @Test
        @DisplayName("a conditional delete that ran is sent again and answers that there is nothing to delete: the entry is gone")
        void deleteThatRanIsGone() {
            long version = writes.loadVersioned(key).version();
            proxy.dropNextReply(() -> { });
            assertFalse(writes.delete(key, version), "sent again, it finds nothing to delete");
            assertTrue(proxy.dropped());
            assertNull(direct.load(key));
        }
    }
}
