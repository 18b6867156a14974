package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.RedisCluster;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend contract on a private three-master Redis Cluster, plus what only a cluster can
 * show: keys spread over the masters, a listing and a principal index that reach every master,
 * and a client that knows one node finding the others.
 */
class RedisClusterTest extends SessionBackendContract {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected String type() {
        return "redis";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_REDIS_CLUSTER", cluster.seeds());
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
    @DisplayName("cluster")
    class Cluster {

        @Test
        @DisplayName("sessions land on every master")
        void keysSpreadOverAllMasters() {
            Map<Integer, Integer> keysPerNode = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                backend().save(newKey(), "x".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
            }
            for (RedisServerProcess node : cluster.nodes()) {
                try (Jedis jedis = node.jedis()) {
                    keysPerNode.put(node.port(), (int) jedis.dbSize());
                }
            }
            assertEquals(3, keysPerNode.size());
            keysPerNode.forEach((port, keys) -> assertTrue(keys > 0, "no session key on master " + port + ": " + keysPerNode));
        }

        @Test
        @DisplayName("count and list cover the sessions of every master; a user's sessions are read from all of them")
        void listingAndIndexCoverEveryMaster() {
            Set<String> keys = new HashSet<>();
            Set<RedisServerProcess> owners = new HashSet<>();
            PrincipalIndex index = backend().capability(PrincipalIndex.class).orElseThrow();
            for (int i = 0; i < 60; i++) {
                String key = newKey();
                backend().save(key, "x".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
                index.assign(key, null, "ann", Duration.ofMinutes(5));
                keys.add(key);
                owners.add(cluster.ownerOf(key));
            }
            assertEquals(3, owners.size(), "the sessions landed on every master");
            SessionListing listing = backend().capability(SessionListing.class).orElseThrow();
            assertEquals(60, listing.count(keyPrefixOf(keys.iterator().next())));
            Set<String> listed = new HashSet<>();
            String cursor = null;
            do {
                ListedPage page = listing.list(keyPrefixOf(keys.iterator().next()), cursor, 7);
                page.entries().forEach(entry -> assertTrue(listed.add(entry.key()), "listed twice: " + entry.key()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertEquals(keys, listed);
            Set<String> ofAnn = new HashSet<>();
            index.entriesOf("ann").forEach(entry -> ofAnn.add(entry.key()));
            assertEquals(keys, ofAnn);
        }

        private String keyPrefixOf(String key) {
            return key.substring(0, key.indexOf(':') + 1);
        }

        @Test
        @DisplayName("a backend seeded with one node reads a session stored on another master")
        void backendSeededWithOneNodeReachesTheOthers() {
            byte[] value = "{\"user\":\"ann\"}".getBytes(StandardCharsets.UTF_8);
            RedisServerProcess seed = cluster.nodes().get(0);
            String keyElsewhere = null;
            for (int i = 0; i < 50 && keyElsewhere == null; i++) {
                String key = newKey();
                backend().save(key, value, Duration.ofMinutes(5));
                if (cluster.ownerOf(key) != seed) {
                    keyElsewhere = key;
                }
            }
            assertNotNull(keyElsewhere, "50 keys all hashed to the seed node");
            SessionConfig oneSeed = configBuilder().set("SESSION_REDIS_CLUSTER", "127.0.0.1:" + seed.port()).build();
            try (SessionBackend reader = new RedisSessionBackendProvider().create(oneSeed)) {
                assertArrayEquals(value, reader.load(keyElsewhere));
            }
        }

        @Test
        @DisplayName("a session whose slot moved to another master is found by following MOVED")
        void sessionFoundAfterItsSlotMoved() {
            byte[] value = "{\"cart\":[7]}".getBytes(StandardCharsets.UTF_8);
            String key = newKey();
            backend().save(key, value, Duration.ofMinutes(5));
            RedisServerProcess newOwner = cluster.moveSlotOf(key);
            assertSame(newOwner, cluster.ownerOf(key), "the slot did not move");

            // The backend still holds the old slot map, so its first read is answered with MOVED.
            assertArrayEquals(value, backend().load(key));
            backend().save(key, "{}".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
            try (Jedis jedis = newOwner.jedis()) {
                assertArrayEquals(RedisStoredValue.of("{}".getBytes(StandardCharsets.UTF_8)), jedis.get(key.getBytes(StandardCharsets.UTF_8)));
            }
        }

        @Test
        @DisplayName("a user's session whose slot moved to another master is still listed, read by following MOVED")
        void indexedSessionFoundAfterItsSlotMoved() {
            byte[] value = "{\"user\":\"bea\"}".getBytes(StandardCharsets.UTF_8);
            String key = newKey();
            backend().save(key, value, Duration.ofMinutes(5));
            PrincipalIndex index = backend().capability(PrincipalIndex.class).orElseThrow();
            index.assign(key, null, "bea", Duration.ofMinutes(5));
            cluster.moveSlotOf(key);

            // The backend's pipeline still sends GET and PTTL to the old master, which answers MOVED.
            List<ListedEntry> entries = index.entriesOf("bea");
            assertEquals(1, entries.size());
            assertEquals(key, entries.get(0).key());
            assertArrayEquals(value, entries.get(0).value());
        }
    }
}
