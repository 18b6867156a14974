package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.RedisCluster;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Cluster master that goes away or stops answering. JedisCluster retries by itself and then
 * gives up in one of two ways: out of attempts (the failures are attached as suppressed
 * exceptions) or out of time (since Jedis 7 the last failure is attached as the cause). Either
 * way the request fails saying that a node could not be reached, never that Redis refused the
 * command. Each test has its own cluster, since it breaks a node.
 */
class RedisClusterOutageTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String KEY = "session:outage";
    private static final byte[] VALUE = "{\"user\":\"ann\"}".getBytes(StandardCharsets.UTF_8);

    private RedisCluster cluster;
    private SessionBackend backend;

    @BeforeEach
    void start() {
        cluster = RedisCluster.start();
        backend = new RedisSessionBackendProvider().create(SessionConfig.builder()
                .set("SESSION_REDIS_CLUSTER", cluster.seeds())
                .set("SESSION_REDIS_CONNECT_TIMEOUT", TIMEOUT)
                .set("SESSION_REDIS_TIMEOUT", TIMEOUT)
                .build());
        backend.save(KEY, VALUE, TTL);
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        cluster.close();
    }

    @Test
    @DisplayName("a stopped master: the request fails as unreachable once JedisCluster runs out of attempts")
    void stoppedMasterIsReportedUnreachable() {
        RedisServerProcess owner = cluster.ownerOf(KEY);
        owner.stop();

        SessionBackendException failure = assertThrows(SessionBackendException.class, () -> backend.load(KEY));

        assertUnreachable(failure, "load");
    }

    @Test
    @DisplayName("a frozen master: the request fails as unreachable, then succeeds once the master answers again")
    void frozenMasterIsReportedUnreachableThenRecovers() {
        RedisServerProcess owner = cluster.ownerOf(KEY);
        owner.suspend();
        SessionBackendException failure;
        try {
            failure = assertThrows(SessionBackendException.class, () -> backend.save(KEY, VALUE, TTL));
        } finally {
            owner.resume();
        }

        assertUnreachable(failure, "save");
        assertArrayEquals(VALUE, backend.load(KEY));
    }

    private void assertUnreachable(SessionBackendException failure, String operation) {
        assertEquals("redis", failure.backendType());
        assertEquals(operation, failure.operation());
        assertTrue(failure.getMessage().contains("could not reach"), failure.getMessage());
        assertTrue(failure.getMessage().contains("last failure: "), failure.getMessage());
        assertFalse(failure.getMessage().contains("refused the command"), failure.getMessage());
        assertTrue(failure.getMessage().contains(cluster.seeds().split(",")[0]), failure.getMessage());
    }
}
