package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.ExternalProgram;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rediss://} against a private TLS-only server with a throw-away certificate for
 * {@code localhost}. The backend trusts what the JVM's default SSL context trusts, as an
 * application configures it with {@code javax.net.ssl.trustStore}; here the test installs a
 * default context trusting the throw-away certificate.
 */
class RedisTlsTest {

    private static RedisServerProcess server;
    @TempDir
    static Path certificateDir;

    @BeforeAll
    static void startTlsServer() throws Exception {
        Path certificate = certificateDir.resolve("cert.pem");
        Path key = certificateDir.resolve("key.pem");
        ExternalProgram.find("openssl", "apt-get install -y openssl").run(Duration.ofSeconds(30),
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                "-keyout", key.toString(), "-out", certificate.toString());
        SSLContext trusting = trusting(certificate);
        // SSLSocketFactory.getDefault() asks SSLContext.getDefault() each time, so this takes effect.
        SSLContext.setDefault(trusting);
        server = RedisServerProcess.startTls(certificate, key, trusting.getSocketFactory());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
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

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        try (InputStream pem = Files.newInputStream(certificate)) {
            trustStore.setCertificateEntry("redis", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
