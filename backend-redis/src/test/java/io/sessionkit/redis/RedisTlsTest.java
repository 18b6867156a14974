package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rediss://} against a private TLS-only server with a throw-away certificate for
 * {@code localhost}, trusted through the JVM's default SSL context (see
 * {@link ThrowAwayCertificate}).
 */
class RedisTlsTest {

    private static RedisServerProcess server;
    private static SSLContext previousDefault;
    @TempDir
    static Path certificateDir;

    @BeforeAll
    static void startTlsServer() throws Exception {
        ThrowAwayCertificate certificate = ThrowAwayCertificate.create(certificateDir, "DNS:localhost");
        previousDefault = certificate.trustByDefault();
        server = RedisServerProcess.startTls(certificate.certificate(), certificate.key(),
                certificate.trusting().getSocketFactory());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        ThrowAwayCertificate.restoreDefault(previousDefault);
    }

    @Test
    @DisplayName("rediss:// stores and loads over TLS")
    void roundTripOverTls() {
        try (SessionBackend backend = backend("rediss://localhost:" + server.port())) {
            byte[] value = "{\"secure\":true}".getBytes(StandardCharsets.UTF_8);
            backend.save("session:tls", value, Duration.ofMinutes(1));
            assertArrayEquals(value, backend.load("session:tls"));
        }
    }

    @Test
    @DisplayName("the server's certificate must name the host connected to")
    void hostNameIsVerified() {
        // The certificate names localhost, not 127.0.0.1.
        try (SessionBackend backend = backend("rediss://127.0.0.1:" + server.port())) {
            SessionBackendException e = assertThrows(SessionBackendException.class, () -> backend.load("session:tls"));
            assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
        }
    }

    @Test
    @DisplayName("redis:// to a TLS-only server fails as a store error")
    void plainTextToTlsServerFails() {
        try (SessionBackend backend = backend("redis://localhost:" + server.port())) {
            assertThrows(SessionBackendException.class, () -> backend.load("session:tls"));
        }
    }

    private static SessionBackend backend(String url) {
        return BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "redis").set("SESSION_REDIS", url)
                .set("SESSION_REDIS_CONNECT_TIMEOUT", "PT1S").set("SESSION_REDIS_TIMEOUT", "PT1S")
                .build());
    }
}
