package io.sessionkit.redis;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the contract cannot see of the principal index and the listing on Redis: the index's own
 * key, its expiry and trimming, keys that are not sessions, glob characters in the prefix, and
 * the commands each operation sends, on one private server.
 */
class RedisPrincipalIndexTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final byte[] VALUE = "{}".getBytes(StandardCharsets.UTF_8);

    private static RedisServerProcess server;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private String keyPrefix;
    private SessionBackend backend;
    private PrincipalIndex index;
    private SessionListing listing;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void createBackend() {
        keyPrefix = "index-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        backend = backend(keyPrefix);
        index = backend.capability(PrincipalIndex.class).orElseThrow();
        listing = backend.capability(SessionListing.class).orElseThrow();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private SessionBackend backend(String prefix) {
        return BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "redis").set("SESSION_REDIS", server.url())
                .set("SESSION_KEY_PREFIX", prefix).clock(clock).build());
    }

    private static String newKey(String prefix) {
        byte[] id = new byte[32];
        ThreadLocalRandom.current().nextBytes(id);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private String stored(String principal, Duration timeToLive) {
        String key = newKey(keyPrefix);
        backend.save(key, VALUE, timeToLive);
        index.assign(key, null, principal, timeToLive);
        return key;
    }

    private String setOf(String principal) {
        return new String(((RedisPrincipalIndex) index).setOf(principal), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a principal's set is named by the prefix and a digest of the principal, which never shows in it")
    void setName() {
        String principal = "Zoë O'Brien <zoe@example.org>";
        stored(principal, HOUR);
        try (Jedis jedis = server.jedis()) {
            Set<String> keys = jedis.keys(keyPrefix + "~principal:*");
            assertEquals(Set.of(setOf(principal)), keys);
            String name = keys.iterator().next();
            assertTrue(name.matches("\\Q" + keyPrefix + "~principal:\\E[A-Za-z0-9_-]{43}"), name);
            assertEquals("zset", jedis.type(name));
        }
    }

    @Test
    @DisplayName("the set expires with its last session: its expiry follows the longest-lived member")
    void setExpiresWithItsLastSession() {
        String alice = "alice";
        String first = stored(alice, HOUR);
        try (Jedis jedis = server.jedis()) {
            assertAbout(HOUR, jedis.pttl(setOf(alice)));
            String second = stored(alice, Duration.ofHours(3));
            assertAbout(Duration.ofHours(3), jedis.pttl(setOf(alice)));
            // Shortened again: the set may die as soon as its longest-lived member does.
            index.assign(second, alice, alice, Duration.ofMinutes(30));
            assertAbout(HOUR, jedis.pttl(setOf(alice)));
            index.assign(first, alice, alice, Duration.ofMinutes(10));
            assertAbout(Duration.ofMinutes(30), jedis.pttl(setOf(alice)));
        }
    }

    private static void assertAbout(Duration expected, long pttl) {
        assertTrue(pttl > expected.minusSeconds(5).toMillis() && pttl <= expected.toMillis(),
                "PTTL " + pttl + " for an expected " + expected);
    }

    @Test
    @DisplayName("a write trims the members whose expiry has passed")
    void writeTrimsExpiredMembers() {
        String expired = stored("bob", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        String live = stored("bob", HOUR);
        try (Jedis jedis = server.jedis()) {
            assertNull(jedis.zscore(setOf("bob"), expired), "the expired member is gone from the set");
            assertEquals(1, jedis.zcard(setOf("bob")));
            assertAbout(HOUR, jedis.pttl(setOf("bob")));
        }
        assertEquals(List.of(live), keysOf(index.entriesOf("bob")));
    }

    @Test
    @DisplayName("a member whose key is gone is skipped and removed from the set by the next read")
    void goneMembersAreForgotten() {
        String kept = stored("carol", HOUR);
        String deleted = stored("carol", HOUR);
        try (Jedis jedis = server.jedis()) {
            jedis.del(deleted); // as an expiry would, without the engine telling the index
            assertEquals(2, jedis.zcard(setOf("carol")));
            assertEquals(List.of(kept), keysOf(index.entriesOf("carol")));
            assertEquals(Set.of(kept), Set.copyOf(jedis.zrange(setOf("carol"), 0, -1)));
        }
    }

    @Test
    @DisplayName("the last member leaving removes the set")
    void lastMemberLeavingRemovesTheSet() {
        String key = stored("dave", HOUR);
        index.assign(key, "dave", null, HOUR);
        try (Jedis jedis = server.jedis()) {
            assertFalse(jedis.exists(setOf("dave")));
        }
    }

    @Test
    @DisplayName("index sets and lock keys under the prefix are neither counted nor listed")
    void indexAndLocksAreNotSessions() {
        Set<String> sessions = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(stored("erin-" + i, HOUR));
        }
        SessionLocks locks = backend.capability(SessionLocks.class).orElseThrow();
        sessions.forEach(key -> assertTrue(locks.tryLock(key, "token", HOUR)));
        try (Jedis jedis = server.jedis()) {
            assertEquals(9, jedis.keys(keyPrefix + "*").size(), "3 sessions, 3 locks, 3 index sets");
        }
        assertEquals(3, listing.count(keyPrefix));
        assertEquals(sessions, walk(keyPrefix, 2).keySet());
    }

    @Test
    @DisplayName("glob characters in SESSION_KEY_PREFIX match only themselves")
    void globCharactersInThePrefix() {
        String base = "glob-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String prefix = base + "a*b[c]?\\:";
        // Each of these would match the prefix taken as a glob pattern.
        List<String> lookalikes = List.of(base + "aXYbcQ:", base + "abc?\\:", base + "a*bc*:");
        Set<String> own = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            String key = newKey(prefix);
            backend.save(key, VALUE, HOUR);
            own.add(key);
        }
        for (String other : lookalikes) {
            backend.save(newKey(other), VALUE, HOUR);
        }
        assertEquals(4, listing.count(prefix));
        assertEquals(own, walk(prefix, 3).keySet());
    }

    @Test
    @DisplayName("a walk among many keys of other prefixes lists each session once, whatever the page size")
    void walkAmongOtherKeys() {
        Set<String> own = new HashSet<>();
        try (Jedis jedis = server.jedis()) {
            for (int i = 0; i < 400; i++) {
                jedis.set(newKey("noise-" + keyPrefix), "x");
            }
        }
        for (int i = 0; i < 150; i++) {
            String key = newKey(keyPrefix);
            backend.save(key, VALUE, HOUR);
            own.add(key);
        }
        assertEquals(150, listing.count(keyPrefix));
        for (int limit : new int[] {1, 7, 64, 1000}) {
            assertEquals(own, walk(keyPrefix, limit).keySet(), "pages of " + limit);
        }
    }

    @Test
    @DisplayName("a cursor that is well-formed base64url but not the listing's is refused")
    void tamperedCursors() {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        for (String text : List.of("redis-scan/0/12x/10/0", "redis-scan/0/0/0/0", "memcached/0", "")) {
            String cursor = encoder.encodeToString(text.getBytes(StandardCharsets.US_ASCII));
            assertThrows(IllegalArgumentException.class, () -> listing.list(keyPrefix, cursor, 5), text);
        }
    }

    @Test
    @DisplayName("commands per operation: assign one script, a change of principal one more, entriesOf one pipeline")
    void commandsPerOperation() {
        String key = stored("frank", HOUR);
        for (int i = 0; i < 4; i++) {
            stored("frank", HOUR);
        }
        Map<String, Long> before = server.commandCalls();
        index.assign(key, "frank", "frank", HOUR);
        assertEquals(Map.of("evalsha", 1L, "zadd", 1L, "zremrangebyscore", 1L, "zrange", 1L, "pexpire", 1L),
                callsSince(before), "a refresh: one script, and the commands it runs inside the server");

        before = server.commandCalls();
        index.assign(key, "frank", "grace", HOUR);
        assertEquals(Map.of("evalsha", 1L, "zadd", 1L, "zremrangebyscore", 1L, "zrange", 1L, "pexpire", 1L,
                "zrem", 1L), callsSince(before), "a change of principal: the script on the new set, ZREM on the old");

        before = server.commandCalls();
        assertEquals(4, index.entriesOf("frank").size());
        assertEquals(Map.of("zrangebyscore", 1L, "get", 4L, "pttl", 4L), callsSince(before),
                "entriesOf: the members, then GET and PTTL of each in one pipeline");
    }

    private static Map<String, Long> callsSince(Map<String, Long> before) {
        Map<String, Long> since = new HashMap<>();
        server.commandCalls().forEach((command, calls) -> {
            long more = calls - before.getOrDefault(command, 0L);
            if (more > 0 && !command.equals("info")) {
                since.put(command, more);
            }
        });
        return since;
    }

    private Map<String, ListedEntry> walk(String prefix, int limit) {
        Map<String, ListedEntry> seen = new HashMap<>();
        String cursor = null;
        int pages = 0;
        do {
            ListedPage page = listing.list(prefix, cursor, limit);
            assertTrue(page.entries().size() <= limit);
            for (ListedEntry entry : page.entries()) {
                assertNull(seen.put(entry.key(), entry), "listed twice: " + entry.key());
            }
            cursor = page.nextCursor();
            assertTrue(++pages < 10_000, "the walk does not end");
        } while (cursor != null);
        return seen;
    }

    private static List<String> keysOf(List<ListedEntry> entries) {
        return entries.stream().map(ListedEntry::key).toList();
    }
}
