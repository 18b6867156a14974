package io.sessionkit.redis;

import io.sessionkit.Session;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code SESSION_NEAR_CACHE} on Redis, with two engines on one private server standing for two
 * application nodes: reads served from memory cost no command, a change made through either node
 * is seen by the other's next read, and a broken tracking connection empties the cache.
 */
class RedisNearCacheTest {

    private static final long CLIENT_GAP_NANOS = 100_000;

    private static RedisServerProcess server;

    private final String prefix = "near-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    private final List<SessionInterface> engines = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(SessionInterface::close);
    }

    private SessionInterface node(boolean nearCache) {
        SessionConfig.Builder config = SessionConfig.builder().set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", server.url()).set("SESSION_KEY_PREFIX", prefix)
                .set("SESSION_REFRESH_MIN_INTERVAL", "PT1M");
        if (nearCache) {
            config.set("SESSION_NEAR_CACHE", "1000");
        }
        SessionInterface engine = SessionInterface.create(config.build());
        engines.add(engine);
        return engine;
    }

    private static String created(SessionInterface node, String key, Object value) {
        Session session = node.open(null);
        session.put(key, value);
        return cookieValue(node.save(session));
    }

    private static void put(SessionInterface node, String id, String key, Object value) {
        Session session = node.open(id);
        assertFalse(session.isNew(), "the session is still there");
        session.put(key, value);
        node.save(session);
    }

    private static Object read(SessionInterface node, String id, String key) {
        Session session = node.open(id);
        Object value = session.get(key);
        node.save(session);
        return value;
    }

    private static String cookieValue(SaveResult result) {
        String header = result.setCookieHeader();
        assertNotNull(header, "a new session sets its cookie");
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    private static long commands() {
        return server.commandCalls().entrySet().stream().filter(e -> !e.getKey().equals("info"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Scripts sent by clients and reads with expiry (a pipelined GET and PTTL): every round trip
     * of the engine here but a new session's SET.
     */
    private static long roundTrips(Map<String, Long> calls) {
        return calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L) + calls.getOrDefault("pttl", 0L);
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }

    /** Reads until a read costs the server no command: the feed is live and the copy trusted. */
    private static void awaitServedFromMemory(SessionInterface node, String id) {
        awaitTrue(() -> {
            long before = commands();
            read(node, id, "any");
            return commands() == before;
        }, "reads of the session were never served from memory");
    }

    private static void awaitTrue(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aReadOnlyRequestCostsNoCommandOnceTheSessionIsInMemory() {
        SessionInterface node = node(true);
        String id = created(node, "user", "ada");
        awaitServedFromMemory(node, id);

        long before = commands();
        for (int i = 0; i < 200; i++) {
            assertEquals("ada", read(node, id, "user"));
        }
        assertEquals(0, commands() - before, "200 read-only requests served from memory");
    }

    @Test
    void aModifyingRequestCostsOneRoundTripAndItsOwnTellingLeavesTheCopyInMemory() {
        SessionInterface node = node(true);
        String id = created(node, "count", 0);

        for (int i = 1; i <= 50; i++) {
            // As between two requests of one browser: the copy the last one wrote is confirmed.
            awaitServedFromMemory(node, id);
            Map<String, Long> before = server.commandCalls();
            put(node, id, "count", i);
            // On the request's path the conditional replace alone (the staged value's SET and the script);
            // in the background, the confirmation of the copy once the write is told (a GET; a
            // second one when the telling overtook the request's own bookkeeping).
            long expected = roundTrips(before) + 2;
            awaitTrue(() -> roundTrips(server.commandCalls()) >= expected, "the written copy was never confirmed");
            Map<String, Long> after = server.commandCalls();
            assertTrue(roundTrips(after) - roundTrips(before) <= 3, "round trips of modifying request " + i);
            assertEquals(0, delta(before, after, "pttl"), "reads of the store (GET and PTTL) by request " + i);
            assertEquals(1, delta(before, after, "set"), "writes by request " + i);
        }
        assertEquals(50, read(node, id, "count"));
    }

    /**
     * Two nodes, one session, requests alternating between them as a browser's would: 20,000
     * requests, each read checked against the last acknowledged write (100,000 through two
     * servlet containers in {@link RedisNearCacheServletTest}). A browser needs at least a
     * network round trip between the answer of one node and its next request to the other; the
     * pause of {@link #CLIENT_GAP_NANOS} stands for it. (Redis sends a change's telling before the
     * writer's answer, and a copy is served only when nothing received waits to be told; the pause
     * covers the telling's way through the operating system and the tracking thread's wake-up.)
     */
    @Test
    void aChangeThroughOneNodeIsSeenByTheOthersNextRead() {
        SessionInterface a = node(true);
        SessionInterface b = node(true);
        String id = created(a, "count", 0);
        awaitServedFromMemory(a, id);
        awaitServedFromMemory(b, id);

        int stale = 0;
        int requests = 0;
        long before = roundTrips(server.commandCalls());
        for (int i = 1; requests < 20_000; i++) {
            SessionInterface writer = i % 2 == 0 ? a : b;
            SessionInterface reader = i % 2 == 0 ? b : a;
            put(writer, id, "count", i);
            LockSupport.parkNanos(CLIENT_GAP_NANOS);
            for (int r = 0; r < 3; r++) {
                if (!Integer.valueOf(i).equals(read(reader, id, "count"))) {
                    stale++;
                }
            }
            requests += 4;
        }
        assertEquals(0, stale, "reads that missed the other node's acknowledged write, of " + requests + " requests");
        // Per round: the writer's replace (and, when its copy was dropped, a read), the reader's one
        // read of the changed session, the writer's confirmation; the reader's next reads from memory.
        long perRound = (roundTrips(server.commandCalls()) - before) * 4 / requests;
        assertTrue(perRound <= 4, "round trips per round of a write and three reads: " + perRound);
    }

    @Test
    void aLogoutThroughOneNodeEndsTheSessionOnTheOther() {
        SessionInterface a = node(true);
        SessionInterface b = node(true);
        String id = created(a, "user", "ada");
        awaitServedFromMemory(a, id);
        awaitServedFromMemory(b, id);

        Session session = b.open(id);
        session.invalidate();
        b.save(session);

        Session after = a.open(id);
        assertTrue(after.isNew(), "the other node no longer serves the ended session");
        assertNull(after.get("user"));
    }

    @Test
    void aSessionRevokedOutsideTheEnginesIsGoneFromMemory() {
        SessionInterface a = node(true);
        String id = created(a, "user", "ada");
        awaitServedFromMemory(a, id);

        try (Jedis jedis = server.jedis()) {
            jedis.del(prefix + id);
        }
        awaitTrue(() -> a.open(id).isNew(), "a deleted session was still served from memory");
    }

    @Test
    void aKilledTrackingConnectionEmptiesTheCacheAndChangesMadeMeanwhileAreSeen() {
        SessionInterface cached = node(true);
        SessionInterface other = node(false);
        String id = created(cached, "count", 1);
        awaitServedFromMemory(cached, id);
        long trackingBefore = trackingClientId();

        try (Jedis jedis = server.jedis()) {
            jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
        }
        // Made while this node hears no invalidation: it must not serve its copy afterwards.
        put(other, id, "count", 2);
        awaitTrue(() -> trackingClientId() != trackingBefore && trackingClientId() != 0,
                "the tracking connection was not opened again");

        assertEquals(2, read(cached, id, "count"), "the copy from before the outage was served");
        awaitServedFromMemory(cached, id);
        assertEquals(2, read(cached, id, "count"));
        put(other, id, "count", 3);
        assertEquals(3, read(cached, id, "count"), "changes are told again after the reconnection");
    }

    @Test
    void aFlushOfTheServerEmptiesTheCache() {
        SessionInterface node = node(true);
        String id = created(node, "user", "ada");
        awaitServedFromMemory(node, id);

        try (Jedis jedis = server.jedis()) {
            jedis.flushAll();
        }
        awaitTrue(() -> node.open(id).isNew(), "a flushed session was still served from memory");
    }

    @Test
    void clientsHandedInOfferNoFeedSinceTheirServerCannotBeFollowed() {
        try (redis.clients.jedis.JedisPooled jedis = new redis.clients.jedis.JedisPooled(
                redis.clients.jedis.HostAndPort.from("127.0.0.1:" + server.port()))) {
            SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "redis").client(jedis)
                    .set("SESSION_KEY_PREFIX", prefix).build();
            try (SessionInterface engine = SessionInterface.create(config)) {
                assertTrue(engine.capability(InvalidationFeed.class).isEmpty());
            }
        }
    }

    /** The id of the one client subscribed to invalidations, or 0 when there is none. */
    private static long trackingClientId() {
        try (Jedis jedis = server.jedis()) {
            for (String line : jedis.clientList().split("\n")) {
                if (line.contains("flags=P") && line.contains("sub=1")) {
                    String id = line.substring(line.indexOf("id=") + 3);
                    return Long.parseLong(id.substring(0, id.indexOf(' ')));
                }
            }
        }
        return 0;
    }
}
