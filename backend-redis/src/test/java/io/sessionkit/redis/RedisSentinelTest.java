package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The backend contract through a Sentinel: one master, one replica, one Sentinel, all
 * private. The backend is given only the Sentinel's address and the master's name.
 */
class RedisSentinelTest extends SessionBackendContract {

    private static final String MASTER_NAME = "sessions";

    private static RedisServerProcess master;
    private static RedisServerProcess replica;
    private static RedisServerProcess sentinel;

    @BeforeAll
    static void startServers() {
        // Without this the master waits 5 s before the replica's first sync.
        master = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        replica = RedisServerProcess.start("--replicaof", "127.0.0.1", String.valueOf(master.port()));
        sentinel = RedisServerProcess.startSentinel(MASTER_NAME, master.port());
    }

    @AfterAll
    static void stopServers() {
        RedisServerProcess.closeAll(List.of(sentinel, replica, master));
    }

    @Override
    protected String type() {
        return "redis";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_REDIS_SENTINELS", "127.0.0.1:" + sentinel.port())
                .set("SESSION_REDIS_SENTINEL_MASTER", MASTER_NAME);
    }

    @Override
    protected boolean expiresByServerClock() {
        return true;
    }

    @Override
    protected Duration serverClockTimeToLive() {
        return Duration.ofMillis(300);
    }

    @Nested
    @DisplayName("sentinel")
    class Sentinel {

        @Test
        @DisplayName("sessions are written to the master the Sentinel names and reach its replica")
        void writesGoToTheDiscoveredMaster() throws InterruptedException {
            String key = newKey();
            byte[] value = "{\"user\":\"bob\"}".getBytes(StandardCharsets.UTF_8);
            backend().save(key, value, Duration.ofMinutes(5));

            try (Jedis jedis = master.jedis()) {
                assertArrayEquals(RedisStoredValue.of(value), jedis.get(key.getBytes(StandardCharsets.UTF_8)));
            }
            try (Jedis jedis = replica.jedis()) {
                // WAIT on the master would prove it too; reading the replica shows where the data went.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                byte[] replicated;
                while ((replicated = jedis.get(key.getBytes(StandardCharsets.UTF_8))) == null
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertArrayEquals(RedisStoredValue.of(value), replicated, "the replica never received the session");
                assertEquals("slave", jedis.role().get(0).toString());
            }
            assertArrayEquals(value, backend().load(key));
        }
    }
}
