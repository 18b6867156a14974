package io.sessionkit.redis;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionPage;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RedisCluster;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster over TLS from configuration: three TLS-only masters that also speak TLS on the
 * cluster bus; sessions, and counting and listing them on every master. The certificate names 127.0.0.1 only, the address the nodes announce
 * themselves by, and is trusted through the JVM's default SSL context (see
 * {@link ThrowAwayCertificate}).
 */
class RedisClusterTlsTest {

    /** Connect timeout + timeout, each 1 s, three times over, plus 2 s: only a hang exceeds it. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(8);

    @TempDir
    static Path certificateDir;
    private static SSLContext previousDefault;
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        ThrowAwayCertificate certificate = ThrowAwayCertificate.create(certificateDir, "IP:127.0.0.1");
        previousDefault = certificate.trustByDefault();
        cluster = RedisCluster.startTls(certificate.forServers());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        ThrowAwayCertificate.restoreDefault(previousDefault);
    }

    private static SessionConfig config(String seeds, Map<String, String> tlsKeys) {
        return SessionConfig.builder().set("SESSION_TYPE", "redis").set("SESSION_REDIS_CLUSTER", seeds)
                .set("SESSION_REDIS_CONNECT_TIMEOUT", "1").set("SESSION_REDIS_TIMEOUT", "1")
                .fromMap(tlsKeys).build();
    }

    @Test
    @DisplayName("SESSION_REDIS_TLS=true: sessions round-trip through the engine on every master over TLS")
    void sessionsOnEveryMasterOverTls() {
        // One seed: the other masters are found from its slot map, and reached over TLS too.
        SessionConfig config = config("127.0.0.1:" + cluster.nodes().get(0).port(), Map.of("SESSION_REDIS_TLS", "true"));
        List<String> ids = new ArrayList<>();
        Set<RedisServerProcess> owners = new HashSet<>();
        for (int i = 0; i < 20 && owners.size() < 3; i++) {
            String id = EngineRoundTrip.storeAndReadBack(config, "user-" + i);
            ids.add(id);
            owners.add(cluster.ownerOf("session:" + id));
        }
        assertEquals(3, owners.size(), "20 sessions did not reach all three masters");
        for (String id : ids) {
            try (Jedis jedis = cluster.ownerOf("session:" + id).jedis()) {
                assertTrue(jedis.exists("session:" + id), "session " + ids.indexOf(id) + " is not on its master");
            }
        }
        assertEquals(Map.of(), config.unreadKeys());
    }

    @Test
    @DisplayName("SESSION_REDIS_TLS=true: the engine counts and lists the sessions of every master over TLS")
    void countAndListOverTls() {
        String prefix = "tls-listing-" + System.nanoTime() + ":";
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS_CLUSTER", "127.0.0.1:" + cluster.nodes().get(0).port())
                .set("SESSION_REDIS_TLS", "true").set("SESSION_KEY_PREFIX", prefix).build();
        try (SessionInterface sessions = SessionInterface.create(config)) {
            Set<String> ids = new HashSet<>();
            Set<RedisServerProcess> owners = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                Session session = sessions.open(null);
                session.put("n", i);
                sessions.save(session);
                ids.add(session.id());
                owners.add(cluster.ownerOf(prefix + session.id()));
            }
            assertEquals(3, owners.size(), "30 sessions did not reach all three masters");
            assertEquals(30, sessions.count());
            Set<String> listed = new HashSet<>();
            String cursor = null;
            do {
                SessionPage page = sessions.list(cursor, 8);
                page.sessions().forEach(summary -> listed.add(summary.id()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertEquals(ids, listed);
        }
    }

    @Test
    @DisplayName("without SESSION_REDIS_TLS, TLS-only nodes fail start-up with a store error, not a hang")
    void plainConfigAgainstTlsNodes() {
        SessionConfig config = config(cluster.seeds(), Map.of());
        SessionBackendException e = assertTimeoutPreemptively(HANG_BOUND,
                () -> assertThrows(SessionBackendException.class, () -> SessionInterface.create(config).close()));
        assertTrue(e.getMessage().contains("Cluster via " + cluster.seeds() + " (in plain text, SESSION_REDIS_TLS=false)"),
                e.getMessage());
    }

    @Test
    @DisplayName("a node whose certificate does not name the host connected to is refused")
    void nodeHostNameIsVerified() {
        // The certificate names 127.0.0.1, not localhost.
        String seed = "localhost:" + cluster.nodes().get(0).port();
        SessionConfig config = config(seed, Map.of("SESSION_REDIS_TLS", "true"));
        SessionBackendException e = assertTimeoutPreemptively(HANG_BOUND,
                () -> assertThrows(SessionBackendException.class, () -> SessionInterface.create(config).close()));
        assertTrue(e.getMessage().contains(seed), e.getMessage());
        assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
    }
}
