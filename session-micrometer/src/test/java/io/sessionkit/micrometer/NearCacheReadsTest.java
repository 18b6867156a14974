package io.sessionkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code sessionkit.near.cache.reads} on Redis with {@code SESSION_NEAR_CACHE} on: every read is a
 * hit or a miss, and exactly the misses reach the store.
 */
class NearCacheReadsTest {

    private static RedisServerProcess server;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SessionInterface sessions;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void close() {
        if (sessions != null) {
            sessions.close();
        }
    }

    private SessionInterface engine(Map<String, String> settings) {
        SessionConfig config = SessionConfig.builder().fromMap(settings).set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS_URL", server.url()).set("SESSION_REFRESH_MIN_INTERVAL", "PT5M").build();
        return new SessionKitMetrics(registry).applyTo(SessionInterface.builder(config)).build();
    }

    private double reads(String result) {
        return registry.get(MeterNames.NEAR_CACHE_READS).tag(MeterNames.RESULT_TAG, result).counter().count();
    }

    private long storeReads() {
        Timer timer = registry.find(MeterNames.BACKEND_OPERATION).tags(MeterNames.OPERATION_TAG, "loadWithExpiry")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private Object read(String id) {
        Session session = sessions.open(id);
        Object user = session.get("user");
        sessions.save(session);
        return user;
    }

    @Test
    void hitsAreAnsweredFromMemoryAndOnlyMissesReachTheStore() {
        sessions = engine(Map.of("SESSION_NEAR_CACHE", "100"));
        assertEquals(0, reads("hit"));
        assertEquals(0, reads("miss"));
        String id;
        try (SessionInterface other = SessionInterface.builder(SessionConfig.builder().set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS_URL", server.url()).build()).build()) {
            Session created = other.open(null);
            created.put("user", "ada");
            other.save(created);
            id = created.id();
        }

        assertEquals("ada", read(id));
        assertEquals(0, reads("hit"));
        assertEquals(1, reads("miss"));
        int done = 1;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (reads("hit") < 3) {
            assertEquals("ada", read(id));
            done++;
            if (System.nanoTime() > deadline) {
                fail("never answered from memory: " + reads("miss") + " misses");
            }
        }
        assertEquals(done, reads("hit") + reads("miss"));
        assertEquals((long) reads("miss"), storeReads());
    }

    @Test
    void withoutTheNearCacheNothingIsCounted() {
        sessions = engine(Map.of());
        Session created = sessions.open(null);
        created.put("user", "ada");
        sessions.save(created);
        assertEquals("ada", read(created.id()));
        assertEquals(0, reads("hit") + reads("miss"));
        assertTrue(registry.find(MeterNames.BACKEND_OPERATION).timers().size() > 0);
    }
}
