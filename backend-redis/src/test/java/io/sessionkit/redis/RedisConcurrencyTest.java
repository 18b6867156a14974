package io.sessionkit.redis;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.VersionedEntry;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What conditional writes and session locks on Redis do beyond the contract (which
 * {@link RedisStandaloneContractTest}, {@link RedisSentinelTest} and {@link RedisClusterTest} run
 * on each deployment): the version derivation shared with the scripts, the stored layout, the
 * script cache fallback and the lock's idempotence for its holder. On one private server;
 * {@link RedisLostReplyTest} covers commands whose reply is lost.
 */
class RedisConcurrencyTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static RedisServerProcess server;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeBackends() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private SessionBackend backend(String url, String... settings) {
        SessionConfig.Builder config = SessionConfig.builder().set("SESSION_TYPE", "redis").set("SESSION_REDIS", url);
        for (int i = 0; i < settings.length; i += 2) {
            config.set(settings[i], settings[i + 1]);
        }
        SessionBackend backend = BackendRegistry.load().create(config.build());
        opened.add(backend);
        return backend;
    }

    private ConditionalWrites writes() {
        return backend(server.url()).capability(ConditionalWrites.class).orElseThrow();
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
    @DisplayName("the version computed here is the one the scripts compute with redis.sha1hex, for any bytes")
    void versionDerivationAgreesWithTheServer() {
        try (Jedis jedis = server.jedis()) {
            for (int length : new int[] {0, 1, 20, 1000, 100_000}) {
                byte[] value = new byte[length];
                ThreadLocalRandom.current().nextBytes(value);
                Object sha1hex = jedis.eval(bytes("return redis.sha1hex(ARGV[1])"), List.of(), List.of(value));
                String serverVersion = new String((byte[]) sha1hex, StandardCharsets.US_ASCII).substring(0, 16);
                assertEquals(serverVersion, HexFormat.of().toHexDigits(RedisStoredValue.versionOf(value)),
                        "for " + length + " bytes");
            }
        }
    }

    @Test
    @DisplayName("the scripts read the version from the header, and the same version from a value without one")
    void scriptsFindTheSameVersionWithAndWithoutTheHeader() {
        byte[] script = bytes(RedisStoredValue.LUA_VERSION + "return version(KEYS[1]) or 'absent'");
        String key = newKey();
        try (Jedis jedis = server.jedis()) {
            assertEquals("absent", new String((byte[]) jedis.eval(script, List.of(bytes(key)), List.of()),
                    StandardCharsets.US_ASCII));
            byte[] lookalike = bytes("\0SKV0123456789abcdeX{}");
            for (byte[] value : new byte[][] {bytes(""), bytes("{\"cart\":[1,2]}"), new byte[16_384], lookalike}) {
                String expected = HexFormat.of().toHexDigits(RedisStoredValue.versionOf(value));
                jedis.set(bytes(key), RedisStoredValue.of(value));
                assertEquals(expected, new String((byte[]) jedis.eval(script, List.of(bytes(key)), List.of()),
                        StandardCharsets.US_ASCII), "with the header");
                jedis.set(bytes(key), value);
                assertEquals(expected, new String((byte[]) jedis.eval(script, List.of(bytes(key)), List.of()),
                        StandardCharsets.US_ASCII), "without it");
            }
        }
    }

    @Test
    @DisplayName("an entry written by a plain SET, as the previous release saved, loads with a version and can be replaced")
    void entryOfThePreviousReleaseCanBeReplaced() {
        ConditionalWrites writes = writes();
        String key = newKey();
        try (Jedis jedis = server.jedis()) {
            jedis.setex(bytes(key), 3600, bytes("{\"user\":\"ann\"}"));
        }
        VersionedEntry entry = writes.loadVersionedAndTouch(key, HOUR);
        assertArrayEquals(bytes("{\"user\":\"ann\"}"), entry.value());
        assertEquals(RedisStoredValue.versionOf(bytes("{\"user\":\"ann\"}")), entry.version());
        assertFalse(writes.replace(key, entry.version() + 1, bytes("{\"user\":\"eve\"}"), HOUR), "another version");
        assertTrue(writes.replace(key, entry.version(), bytes("{\"user\":\"bob\"}"), HOUR));
        try (Jedis jedis = server.jedis()) {
            assertArrayEquals(RedisStoredValue.of(bytes("{\"user\":\"bob\"}")), jedis.get(bytes(key)),
                    "the replace wrote the header");
        }

        String other = newKey();
        try (Jedis jedis = server.jedis()) {
            jedis.setex(bytes(other), 3600, bytes("{\"user\":\"cy\"}"));
        }
        assertFalse(writes.delete(other, RedisStoredValue.versionOf(bytes("{}"))));
        assertTrue(writes.delete(other, writes.loadVersioned(other).version()), "a conditional delete of such an entry");
        assertNull(writes.loadVersioned(other));
    }

    @Test
    @DisplayName("replace writes the bytes with the time to live in milliseconds; a lock is the key :lock with the lease as expiry")
    void storedLayout() {
        SessionBackend backend = backend(server.url());
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
        String key = newKey();
        writes.create(key, bytes("one"), HOUR);
        writes.replace(key, writes.loadVersioned(key).version(), bytes("two"), Duration.ofMillis(90_500));
        locks.tryLock(key, "token", Duration.ofSeconds(30));
        try (Jedis jedis = server.jedis()) {
            assertEquals("string", jedis.type(key));
            byte[] stored = jedis.get(bytes(key));
            assertArrayEquals(RedisStoredValue.of(bytes("two")), stored);
            assertEquals("\0SKV" + HexFormat.of().toHexDigits(RedisStoredValue.versionOf(bytes("two"))) + "two",
                    new String(stored, StandardCharsets.US_ASCII), "a header of 20 bytes, then the session's bytes");
            long ttl = jedis.pttl(key);
            assertTrue(ttl > 80_000 && ttl <= 90_500, "PTTL " + ttl);
            assertEquals("token", jedis.get(key + ":lock"));
            long lease = jedis.pttl(key + ":lock");
            assertTrue(lease > 25_000 && lease <= 30_000, "PTTL of the lock " + lease);
        }
    }

    @Test
    @DisplayName("replace stages the new value under a key of its own and renames it over the session: the value never passes through a script")
    void replaceRenamesAStagedValue() {
        ConditionalWrites writes = writes();
        String key = newKey();
        byte[] large = new byte[16_384];
        ThreadLocalRandom.current().nextBytes(large);
        writes.create(key, bytes("one"), HOUR);
        long version = writes.loadVersioned(key).version();
        Map<String, Long> before = server.commandCalls();
        assertTrue(writes.replace(key, version, large, Duration.ofMillis(90_500)));
        Map<String, Long> after = server.commandCalls();

        for (String command : List.of("set", "evalsha", "rename", "pexpire")) {
            assertEquals(1, after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L), command);
        }
        try (Jedis jedis = server.jedis()) {
            assertArrayEquals(RedisStoredValue.of(large), jedis.get(bytes(key)));
            long ttl = jedis.pttl(key);
            assertTrue(ttl > 80_000 && ttl <= 90_500, "the session's time to live, not the staged key's: " + ttl);
            assertEquals(List.of(key), keysOf(jedis, key), "the staged key is gone");
        }
    }

    @Test
    @DisplayName("a replace that is refused (another version, no entry, the same bytes) drops its staged value and writes nothing")
    void refusedReplaceLeavesNoStagedKey() {
        ConditionalWrites writes = writes();
        String key = newKey();
        writes.create(key, bytes("one"), HOUR);
        long version = writes.loadVersioned(key).version();
        assertTrue(writes.replace(key, version, bytes("two"), HOUR));

        assertFalse(writes.replace(key, version, bytes("three"), HOUR), "another version");
        assertFalse(writes.replace(key, version, bytes("two"), HOUR), "the same bytes from an older version");
        String absent = newKey();
        assertFalse(writes.replace(absent, version, bytes("two"), HOUR), "no entry");
        try (Jedis jedis = server.jedis()) {
            assertArrayEquals(RedisStoredValue.of(bytes("two")), jedis.get(bytes(key)));
            assertEquals(List.of(key), keysOf(jedis, key));
            assertEquals(List.of(), keysOf(jedis, absent));
        }
    }

    @Test
    @DisplayName("the staged key is named by the new bytes' version; when it is gone the script says so and writes nothing")
    void stagedKeyGoneIsTold() {
        ConditionalWrites writes = writes();
        String key = newKey();
        writes.create(key, bytes("one"), HOUR);
        long version = writes.loadVersioned(key).version();
        RedisConditionalWrites.Replacement replacement = new RedisConditionalWrites.Replacement(bytes(key),
                RedisStoredValue.hex(version), RedisStoredValue.of(bytes("two")), bytes("3600000"));
        try (Jedis jedis = server.jedis()) {
            Object answer = jedis.eval(RedisConditionalWrites.RENAME_OVER.source(),
                    List.of(bytes(key), RedisConditionalWrites.stagedKey(replacement)),
                    List.of(replacement.expectedVersion(), replacement.millis(), replacement.newVersion()));
            assertEquals(4L, answer);
            assertArrayEquals(RedisStoredValue.of(bytes("one")), jedis.get(bytes(key)), "nothing written");
        }
        assertEquals(key + ":saving:" + HexFormat.of().toHexDigits(RedisStoredValue.versionOf(bytes("two"))),
                new String(RedisConditionalWrites.stagedKey(replacement), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a staged key left behind by a broken connection is neither counted nor listed as a session")
    void leftoverStagedKeyIsNoSession() {
        SessionBackend backend = backend(server.url(), "SESSION_KEY_PREFIX", "staged-test:");
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        SessionListing listing = backend.capability(SessionListing.class).orElseThrow();
        String key = "staged-test:" + newKey().substring("session:".length());
        writes.create(key, bytes("one"), HOUR);
        RedisConditionalWrites.Replacement replacement = new RedisConditionalWrites.Replacement(bytes(key),
                RedisStoredValue.hex(writes.loadVersioned(key).version()), RedisStoredValue.of(bytes("two")), bytes("60000"));
        try (Jedis jedis = server.jedis()) {
            jedis.set(RedisConditionalWrites.stagedKey(replacement), replacement.stored());
        }
        assertEquals(1, listing.count("staged-test:"));
        assertEquals(List.of(key), listing.list("staged-test:", null, 10).entries().stream()
                .map(ListedEntry::key).toList());
    }

    @Test
    @DisplayName("through a client handed in, replace writes by one script on the session key alone, as on a Cluster")
    void handedInClientWritesByTheValueScript() {
        try (JedisPooled client = new JedisPooled("127.0.0.1", server.port());
             SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                     .set("SESSION_TYPE", "redis").client(client).build())) {
            ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
            String key = newKey();
            writes.create(key, bytes("one"), HOUR);
            long version = writes.loadVersioned(key).version();
            Map<String, Long> before = server.commandCalls();
            assertTrue(writes.replace(key, version, bytes("two"), HOUR));
            Map<String, Long> after = server.commandCalls();
            assertEquals(0, after.getOrDefault("rename", 0L) - before.getOrDefault("rename", 0L), "nothing staged");
            assertEquals(1, after.getOrDefault("set", 0L) - before.getOrDefault("set", 0L), "the script's SET");
            assertArrayEquals(bytes("two"), writes.loadVersioned(key).value());
        }
    }

    private static List<String> keysOf(Jedis jedis, String key) {
        return new ArrayList<>(new TreeSet<>(jedis.keys(key + "*")));
    }

    @Test
    @DisplayName("after SCRIPT FLUSH, as after a restart or failover, EVALSHA's NOSCRIPT falls back to EVAL once")
    void scriptCacheFlushFallsBackToEval() {
        ConditionalWrites writes = writes();
        String key = newKey();
        writes.create(key, bytes("one"), HOUR);
        try (Jedis jedis = server.jedis()) {
            jedis.scriptFlush();
        }
        Map<String, Long> before = server.commandCalls();
        assertTrue(writes.replace(key, writes.loadVersioned(key).version(), bytes("two"), HOUR));
        Map<String, Long> between = server.commandCalls();
        assertTrue(writes.replace(key, writes.loadVersioned(key).version(), bytes("three"), HOUR));
        Map<String, Long> after = server.commandCalls();

        assertEquals(1, between.getOrDefault("eval", 0L) - before.getOrDefault("eval", 0L), "EVAL after NOSCRIPT");
        assertEquals(0, after.getOrDefault("eval", 0L) - between.getOrDefault("eval", 0L), "cached again");
        assertEquals(1, after.get("evalsha") - between.get("evalsha"));
        assertArrayEquals(bytes("three"), writes.loadVersioned(key).value());
    }

    @Test
    @DisplayName("create twice is refused even with the same bytes: only a create re-sent after a broken connection reads back")
    void createTwiceWithTheSameBytesRefused() {
        ConditionalWrites writes = writes();
        String key = newKey();
        assertTrue(writes.create(key, bytes("first"), HOUR));
        assertFalse(writes.create(key, bytes("first"), HOUR));
    }

    @Test
    @DisplayName("tryLock with the token that holds the lock answers true, so a lock sent twice does not block its own holder")
    void lockIsIdempotentForItsHolder() {
        SessionLocks locks = backend(server.url()).capability(SessionLocks.class).orElseThrow();
        String key = newKey();
        assertTrue(locks.tryLock(key, "holder", HOUR));
        assertTrue(locks.tryLock(key, "holder", HOUR));
        assertFalse(locks.tryLock(key, "other", HOUR));
        locks.unlock(key, "holder");
        assertTrue(locks.tryLock(key, "other", HOUR));
    }

    @Test
    @DisplayName("the engine's conditional methods are handed out as capabilities")
    void capabilitiesHandedOut() {
        SessionBackend backend = backend(server.url());
        assertTrue(backend.capability(ConditionalWrites.class).orElseThrow() instanceof RedisConditionalWrites);
        assertTrue(backend.capability(SessionLocks.class).orElseThrow() instanceof RedisSessionLocks);
    }
}
