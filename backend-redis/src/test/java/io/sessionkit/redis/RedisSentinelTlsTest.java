package io.sessionkit.redis;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.FreePort;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentinel over TLS from configuration: a TLS-only master and replica, a Sentinel that speaks
 * only TLS and one that speaks plain text to its clients (both reach the master over TLS).
 * The certificate names 127.0.0.1 only, the address the Sentinels announce the master by, and
 * is trusted through the JVM's default SSL context (see {@link ThrowAwayCertificate}).
 */
class RedisSentinelTlsTest {

    private static final String MASTER_NAME = "sessions";
    /** Connect timeout + timeout, each 1 s, three times over, plus 2 s: only a hang exceeds it. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(8);

    @TempDir
    static Path certificateDir;
    private static SSLContext previousDefault;
    private static RedisServerProcess master;
    private static RedisServerProcess replica;
    private static RedisServerProcess tlsSentinel;
    private static RedisServerProcess plainSentinel;

    @BeforeAll
    static void startServers() throws Exception {
        ThrowAwayCertificate certificate = ThrowAwayCertificate.create(certificateDir, "IP:127.0.0.1");
        previousDefault = certificate.trustByDefault();
        RedisServerProcess.Tls tls = certificate.forServers();
        // Without this the master waits 5 s before the replica's first sync.
        master = RedisServerProcess.startTls(FreePort.onLoopbackWithCompanion(10_000), tls,
                "--repl-diskless-sync-delay", "0");
        replica = RedisServerProcess.startTls(FreePort.onLoopbackWithCompanion(10_000), tls,
                "--replicaof", "127.0.0.1", String.valueOf(master.port()));
        tlsSentinel = RedisServerProcess.startSentinel(MASTER_NAME, master.port(), tls, true);
        plainSentinel = RedisServerProcess.startSentinel(MASTER_NAME, master.port(), tls, false);
    }

    @AfterAll
    static void stopServers() {
        RedisServerProcess.closeAll(List.of(tlsSentinel, plainSentinel, replica, master));
        ThrowAwayCertificate.restoreDefault(previousDefault);
    }

    private static SessionConfig config(RedisServerProcess sentinel, Map<String, String> tlsKeys) {
        return SessionConfig.builder().set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS_SENTINELS", "127.0.0.1:" + sentinel.port())
                .set("SESSION_REDIS_SENTINEL_MASTER", MASTER_NAME)
                .set("SESSION_REDIS_CONNECT_TIMEOUT", "1").set("SESSION_REDIS_TIMEOUT", "1")
                .fromMap(tlsKeys).build();
    }

    private static void assertStoredOnMaster(String id) {
        try (Jedis jedis = master.jedis()) {
            assertTrue(jedis.exists("session:" + id), "the session is not on the master");
        }
    }

    @Test
    @DisplayName("SESSION_REDIS_TLS=true: the Sentinels and the master are reached over TLS")
    void sentinelsAndMasterOverTls() {
        SessionConfig config = config(tlsSentinel, Map.of("SESSION_REDIS_TLS", "true"));
        assertStoredOnMaster(EngineRoundTrip.storeAndReadBack(config, "ada"));
        assertEquals(Map.of(), config.unreadKeys());
    }

    @Test
    @DisplayName("SESSION_REDIS_SENTINEL_TLS=false: plain-text Sentinels name a master reached over TLS")
    void plainSentinelsTlsMaster() {
        SessionConfig config = config(plainSentinel,
                Map.of("SESSION_REDIS_TLS", "true", "SESSION_REDIS_SENTINEL_TLS", "false"));
        assertStoredOnMaster(EngineRoundTrip.storeAndReadBack(config, "bob"));
    }

    @Test
    @DisplayName("without TLS keys, TLS-only Sentinels fail start-up with a store error, not a hang")
    void plainConfigAgainstTlsSentinels() {
        SessionConfig config = config(tlsSentinel, Map.of());
        SessionBackendException e = assertTimeoutPreemptively(HANG_BOUND,
                () -> assertThrows(SessionBackendException.class, () -> SessionInterface.create(config).close()));
        assertTrue(e.getMessage().contains("via 127.0.0.1:" + tlsSentinel.port() + " (Sentinels in plain text,"
                + " SESSION_REDIS_SENTINEL_TLS=false, master in plain text, SESSION_REDIS_TLS=false)"), e.getMessage());
    }

    @Test
    @DisplayName("SESSION_REDIS_SENTINEL_TLS=true alone: the Sentinels answer over TLS, the master refuses plain text")
    void tlsSentinelsPlainMaster() {
        SessionConfig config = config(tlsSentinel, Map.of("SESSION_REDIS_SENTINEL_TLS", "true"));
        try (SessionInterface engine = SessionInterface.create(config)) {
            Session session = engine.open(null);
            session.put("user", "eve");
            SessionBackendException e = assertTimeoutPreemptively(HANG_BOUND,
                    () -> assertThrows(SessionBackendException.class, () -> engine.save(session)));
            assertTrue(e.getMessage().contains("(Sentinels over TLS, SESSION_REDIS_SENTINEL_TLS=true, master in plain"
                    + " text, SESSION_REDIS_TLS=false)"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a Sentinel whose certificate does not name the host connected to is refused")
    void sentinelHostNameIsVerified() {
        // The certificate names 127.0.0.1, not localhost, which is the same server: only the name differs
        // from sentinelsAndMasterOverTls. Jedis logs the refused handshake for each Sentinel.
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS_SENTINELS", "localhost:" + tlsSentinel.port())
                .set("SESSION_REDIS_SENTINEL_MASTER", MASTER_NAME).set("SESSION_REDIS_TLS", "true")
                .set("SESSION_REDIS_CONNECT_TIMEOUT", "1").set("SESSION_REDIS_TIMEOUT", "1").build();
        SessionBackendException e = assertTimeoutPreemptively(HANG_BOUND,
                () -> assertThrows(SessionBackendException.class, () -> SessionInterface.create(config).close()));
        assertTrue(e.getMessage().contains("localhost:" + tlsSentinel.port()), e.getMessage());
    }
}
