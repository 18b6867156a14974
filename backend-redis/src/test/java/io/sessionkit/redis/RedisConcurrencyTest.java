package io.sessionkit.redis;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.redis.RedisDeployments.Kind;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.VersionedEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditional writes and session locks on Redis, on one server, through a Sentinel and on a
 * Cluster: what each method promises, races between threads, and the engine's guarantees
 * (no lost update, no resurrection, serialised read-modify-write) on top of them.
 */
class RedisConcurrencyTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final int THREADS = 8;
    private static final int ROUNDS = 20;

    private static RedisDeployments redis;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        redis = new RedisDeployments();
    }

    @AfterAll
    static void stopServers() {
        redis.close();
    }

    @AfterEach
    void closeBackends() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private SessionBackend backend(SessionConfig.Builder config) {
        SessionBackend backend = BackendRegistry.load().create(config.build());
        opened.add(backend);
        return backend;
    }

    private ConditionalWrites writes(Kind kind) {
        return backend(redis.config(kind)).capability(ConditionalWrites.class).orElseThrow();
    }

    private SessionLocks locks(Kind kind) {
        return backend(redis.config(kind)).capability(SessionLocks.class).orElseThrow();
    }

    private SessionInterface engine(Kind kind, String... settings) {
        SessionConfig.Builder config = redis.config(kind);
        for (int i = 0; i < settings.length; i += 2) {
            config.set(settings[i], settings[i + 1]);
        }
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

    /** Waits until Redis no longer returns the key: expiry is Redis's own. */
    private static void awaitExpiry(ConditionalWrites writes, String key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (writes.loadVersioned(key) != null) {
            assertTrue(System.nanoTime() < deadline, "the entry did not expire");
            RedisServerProcess.pause(20);
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
        @EnumSource(Kind.class)
        @DisplayName("the version changes with every write of new bytes, blind saves included, and not with a touch")
        void versionFollowsTheBytes(Kind kind) {
            SessionBackend backend = backend(redis.config(kind));
            ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
            String key = newKey();
            assertTrue(writes.create(key, bytes("one"), HOUR));
            long created = writes.loadVersioned(key).version();

            backend.touch(key, HOUR.multipliedBy(2));
            assertEquals(created, writes.loadVersionedAndTouch(key, HOUR).version(), "a touch is not a change");
            assertEquals(created, writes.loadVersioned(key).version());

            assertTrue(writes.replace(key, created, bytes("two"), HOUR));
            long replaced = writes.loadVersioned(key).version();
            assertNotEquals(created, replaced);

            backend.save(key, bytes("three"), HOUR);
            VersionedEntry saved = writes.loadVersioned(key);
            assertArrayEquals(bytes("three"), saved.value());
            assertNotEquals(replaced, saved.version(), "a blind save is a change");
            assertFalse(writes.replace(key, replaced, bytes("four"), HOUR), "the blind save made the version stale");
            assertTrue(writes.replace(key, saved.version(), bytes("four"), HOUR));
            assertArrayEquals(bytes("four"), backend.load(key));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Kind.class)
        @DisplayName("a stale version is refused and changes nothing")
        void staleVersionRefused(Kind kind) {
            ConditionalWrites writes = writes(kind);
            String key = newKey();
            writes.create(key, bytes("one"), HOUR);
            long read = writes.loadVersioned(key).version();
            assertTrue(writes.replace(key, read, bytes("two"), HOUR));
            assertFalse(writes.replace(key, read, bytes("three"), HOUR));
            assertFalse(writes.delete(key, read));
            assertArrayEquals(bytes("two"), writes.loadVersioned(key).value());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Kind.class)
        @DisplayName("create twice is refused, even with the same bytes, and keeps the first")
        void createTwiceRefused(Kind kind) {
            ConditionalWrites writes = writes(kind);
            String key = newKey();
            assertTrue(writes.create(key, bytes("first"), HOUR));
            assertFalse(writes.create(key, bytes("second"), HOUR));
            assertFalse(writes.create(key, bytes("first"), HOUR));
            assertArrayEquals(bytes("first"), writes.loadVersioned(key).value());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Kind.class)
        @DisplayName("an expired entry counts as absent: create succeeds over it, replace and delete are refused")
        void expiredEntryIsAbsent(Kind kind) {
            ConditionalWrites writes = writes(kind);
            String key = newKey();
            writes.create(key, bytes("short"), Duration.ofMillis(150));
            long version = writes.loadVersioned(key).version();
            awaitExpiry(writes, key);
            assertFalse(writes.replace(key, version, bytes("late"), HOUR));
            assertFalse(writes.delete(key, version));
            assertNull(writes.loadVersioned(key), "a refused replace must not bring the entry back");
            assertTrue(writes.create(key, bytes("new"), HOUR));
            assertArrayEquals(bytes("new"), writes.loadVersioned(key).value());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Kind.class)
        @DisplayName("replace and delete of a deleted entry are refused and do not recreate it")
        void deletedEntryStaysDeleted(Kind kind) {
            ConditionalWrites writes = writes(kind);
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
        @EnumSource(Kind.class)
        @DisplayName("threads racing to replace one version: exactly one wins each round")
        void racingReplacesHaveOneWinner(Kind kind) throws Exception {
            ConditionalWrites writes = writes(kind);
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
        @EnumSource(Kind.class)
        @DisplayName("threads racing to create one key: exactly one wins")
        void racingCreatesHaveOneWinner(Kind kind) throws Exception {
            ConditionalWrites writes = writes(kind);
            String key = newKey();
            List<Boolean> won = race(THREADS, () -> writes.create(key, bytes(Thread.currentThread().getName()), HOUR));
            assertEquals(1, won.stream().filter(w -> w).count(), won.toString());
        }
    }

    @Nested
    @DisplayName("session locks")
    class Locks {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Kind.class)
        @DisplayName("a lock is exclusive, and only its holder's token releases it")
        void exclusiveAndReleasedOnlyByItsHolder(Kind kind) {
            SessionLocks locks = locks(kind);
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
        @EnumSource(Kind.class)
        @DisplayName("a lock whose lease ran out can be taken over, and its old holder's unlock leaves the new one alone")
        void expiredLeaseTakenOver(Kind kind) {
            SessionLocks locks = locks(kind);
            String key = newKey();
            Duration lease = Duration.ofMillis(200);
            long start = System.nanoTime();
            assertTrue(locks.tryLock(key, "crashed", lease));
            while (!locks.tryLock(key, "next", HOUR)) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the lease never ran out");
                RedisServerProcess.pause(20);
            }
            assertTrue(System.nanoTime() - start >= lease.toNanos(), "taken over before the lease ran out");
            locks.unlock(key, "crashed");
            assertFalse(locks.tryLock(key, "third", HOUR), "the old holder released the new holder's lock");
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Kind.class)
        @DisplayName("threads racing for one lock: exactly one gets it each round")
        void racingLocksHaveOneWinner(Kind kind) throws Exception {
            SessionLocks locks = locks(kind);
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
        @EnumSource(Kind.class)
        @DisplayName("16 concurrent requests each setting its own key: all 16 are stored")
        void sixteenConcurrentRequestsKeepAllSixteenKeys(Kind kind) throws Exception {
            SessionInterface engine = engine(kind);
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
        @EnumSource(Kind.class)
        @DisplayName("a logout racing a slow request: the session stays gone and no Set-Cookie revives it")
        void logoutIsNotUndoneByASlowRequest(Kind kind) {
            SessionInterface engine = engine(kind);
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
            assertNull(backend(redis.config(kind)).load("session:" + id));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Kind.class)
        @DisplayName("with SESSION_LOCKING, 40 concurrent read-increment-write requests count to 40")
        void lockingSerialisesReadModifyWrite(Kind kind) throws Exception {
            SessionInterface engine = engine(kind, "SESSION_LOCKING", "true");
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
    @DisplayName("on one server")
    class OneServer {

        private RedisServerProcess server() {
            return redis.standalone();
        }

        @Test
        @DisplayName("the version computed here is the one the scripts compute with redis.sha1hex, for any bytes")
        void versionDerivationAgreesWithTheServer() {
            try (Jedis jedis = server().jedis()) {
                for (int length : new int[] {0, 1, 20, 1000, 100_000}) {
                    byte[] value = new byte[length];
                    ThreadLocalRandom.current().nextBytes(value);
                    Object sha1hex = jedis.eval(bytes("return redis.sha1hex(ARGV[1])"), List.of(), List.of(value));
                    String serverVersion = new String((byte[]) sha1hex, StandardCharsets.US_ASCII).substring(0, 16);
                    assertEquals(serverVersion, HexFormat.of().toHexDigits(RedisConditionalWrites.versionOf(value)),
                            "for " + length + " bytes");
                }
            }
        }

        @Test
        @DisplayName("an entry written by a plain SET, as the previous release saved, loads with a version and can be replaced")
        void entryOfThePreviousReleaseCanBeReplaced() {
            ConditionalWrites writes = writes(Kind.STANDALONE);
            String key = newKey();
            try (Jedis jedis = server().jedis()) {
                jedis.setex(bytes(key), 3600, bytes("{\"user\":\"ann\"}"));
            }
            VersionedEntry entry = writes.loadVersionedAndTouch(key, HOUR);
            assertArrayEquals(bytes("{\"user\":\"ann\"}"), entry.value());
            assertTrue(writes.replace(key, entry.version(), bytes("{\"user\":\"bob\"}"), HOUR));
        }

        @Test
        @DisplayName("replace writes the bytes with the time to live in milliseconds; a lock is the key :lock with the lease as expiry")
        void storedLayout() {
            SessionBackend backend = backend(redis.config(Kind.STANDALONE));
            ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
            SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
            String key = newKey();
            writes.create(key, bytes("one"), HOUR);
            writes.replace(key, writes.loadVersioned(key).version(), bytes("two"), Duration.ofMillis(90_500));
            locks.tryLock(key, "token", Duration.ofSeconds(30));
            try (Jedis jedis = server().jedis()) {
                assertEquals("string", jedis.type(key));
                assertArrayEquals(bytes("two"), jedis.get(bytes(key)));
                long ttl = jedis.pttl(key);
                assertTrue(ttl > 80_000 && ttl <= 90_500, "PTTL " + ttl);
                assertEquals("token", jedis.get(key + ":lock"));
                long lease = jedis.pttl(key + ":lock");
                assertTrue(lease > 25_000 && lease <= 30_000, "PTTL of the lock " + lease);
            }
        }

        @Test
        @DisplayName("after SCRIPT FLUSH, as after a restart or failover, EVALSHA's NOSCRIPT falls back to EVAL once")
        void scriptCacheFlushFallsBackToEval() {
            ConditionalWrites writes = writes(Kind.STANDALONE);
            String key = newKey();
            writes.create(key, bytes("one"), HOUR);
            try (Jedis jedis = server().jedis()) {
                jedis.scriptFlush();
            }
            Map<String, Long> before = server().commandCalls();
            assertTrue(writes.replace(key, writes.loadVersioned(key).version(), bytes("two"), HOUR));
            Map<String, Long> between = server().commandCalls();
            assertTrue(writes.replace(key, writes.loadVersioned(key).version(), bytes("three"), HOUR));
            Map<String, Long> after = server().commandCalls();

            assertEquals(1, between.getOrDefault("eval", 0L) - before.getOrDefault("eval", 0L), "EVAL after NOSCRIPT");
            assertEquals(0, after.getOrDefault("eval", 0L) - between.getOrDefault("eval", 0L), "cached again");
            assertEquals(1, after.get("evalsha") - between.get("evalsha"));
            assertArrayEquals(bytes("three"), writes.loadVersioned(key).value());
        }

        @Test
        @DisplayName("the engine's conditional methods are handed out as capabilities")
        void capabilitiesHandedOut() {
            SessionBackend backend = backend(redis.config(Kind.STANDALONE));
            assertTrue(backend.capability(ConditionalWrites.class).orElseThrow() instanceof RedisConditionalWrites);
            assertTrue(backend.capability(SessionLocks.class).orElseThrow() instanceof RedisSessionLocks);
        }
    }

    /**
     * A reply lost after the server ran the command: what each method does when it cannot know
     * whether its first attempt ran. One pooled connection through the proxy, warmed up first,
     * so the reply dropped is the command's own.
     */
    @Nested
    @DisplayName("when the connection breaks after the command ran")
    class LostReplies {

        private ReplyDroppingProxy proxy;
        private ConditionalWrites writes;
        private SessionLocks locks;
        private String key;

        @BeforeEach
        void connectThroughProxy() {
            proxy = ReplyDroppingProxy.to(redis.standalone().port());
            opened.add(proxy);
            SessionBackend backend = backend(SessionConfig.builder().set("SESSION_TYPE", "redis")
                    .set("SESSION_REDIS", "redis://127.0.0.1:" + proxy.port()).set("SESSION_REDIS_POOL_SIZE", "1"));
            writes = backend.capability(ConditionalWrites.class).orElseThrow();
            locks = backend.capability(SessionLocks.class).orElseThrow();
            key = newKey();
            // Warm up: the connection, and the scripts in the server's cache.
            writes.create(key, bytes("zero"), HOUR);
            writes.replace(key, writes.loadVersioned(key).version(), bytes("one"), HOUR);
            writes.delete(newKey(), 1);
            locks.unlock(key, "nobody");
            locks.tryLock(newKey(), "warm", HOUR);
        }

        private byte[] stored() {
            try (Jedis jedis = redis.standalone().jedis()) {
                return jedis.get(bytes(key));
            }
        }

        @Test
        @DisplayName("a replace that ran is reported as done, not as a conflict")
        void replaceThatRanIsDone() {
            long version = writes.loadVersioned(key).version();
            proxy.dropNextReply(() -> { });
            assertTrue(writes.replace(key, version, bytes("two"), HOUR));
            assertTrue(proxy.dropped());
            assertArrayEquals(bytes("two"), stored());
        }

        @Test
        @DisplayName("a replace that ran and was overwritten before the retry fails as unknown instead of merging twice")
        void replaceThatRanAndWasOverwrittenFails() {
            long version = writes.loadVersioned(key).version();
            proxy.dropNextReply(() -> {
                try (Jedis jedis = redis.standalone().jedis()) {
                    jedis.set(bytes(key), bytes("later request"));
                }
            });
            SessionBackendException e = assertThrows(SessionBackendException.class,
                    () -> writes.replace(key, version, bytes("two"), HOUR));
            assertEquals("save", e.operation());
            assertTrue(e.getMessage().contains("may or may not have been"), e.getMessage());
            assertArrayEquals(bytes("later request"), stored(), "nothing more was written");
        }

        @Test
        @DisplayName("a replace that ran before its entry was deleted reports the entry gone")
        void replaceThatRanThenDeletedIsGone() {
            long version = writes.loadVersioned(key).version();
            proxy.dropNextReply(() -> {
                try (Jedis jedis = redis.standalone().jedis()) {
                    jedis.del(key);
                }
            });
            assertFalse(writes.replace(key, version, bytes("two"), HOUR));
            assertNull(stored(), "not recreated");
        }

        @Test
        @DisplayName("a create that ran is reported as created, not as an id already taken")
        void createThatRanIsCreated() {
            key = newKey();
            proxy.dropNextReply(() -> { });
            assertTrue(writes.create(key, bytes("new"), HOUR));
            assertTrue(proxy.dropped());
            assertArrayEquals(bytes("new"), stored());
        }

        @Test
        @DisplayName("a lock whose SET ran belongs to its holder, instead of blocking it until the lease ends")
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
            assertNull(stored());
        }
    }
}
