package io.sessionkit.redis;

import io.sessionkit.testsupport.ExternalProgram;
import io.sessionkit.testsupport.RedisServerProcess;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * A self-signed certificate made with {@code openssl} for the TLS tests, and an SSL context
 * that trusts it. The backend trusts what the JVM's default SSL context trusts, as an
 * application configures it with {@code javax.net.ssl.trustStore}; {@link #trustByDefault()}
 * plays that part. Test classes run one after another in one JVM, so each installs its own
 * certificate before use and puts the previous default back afterwards.
 *
 * @param certificate the certificate (PEM), its own CA
 * @param key         its private key (PEM)
 * @param trusting    an SSL context that trusts the certificate and nothing else
 */
record ThrowAwayCertificate(Path certificate, Path key, SSLContext trusting) {

    /**
     * Makes a certificate valid for two days.
     *
     * @param directory       where to write the PEM files
     * @param subjectAltNames what it names, as {@code openssl} takes it: {@code DNS:localhost}, {@code IP:127.0.0.1}
     * @return the certificate
     * @throws Exception when {@code openssl} or the key store fails
     */
    static ThrowAwayCertificate create(Path directory, String subjectAltNames) throws Exception {
        Path certificate = directory.resolve("cert.pem");
        Path key = directory.resolve("key.pem");
        ExternalProgram.find("openssl", "apt-get install -y openssl").run(Duration.ofSeconds(30),
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=sessionkit-test", "-addext", "subjectAltName=" + subjectAltNames,
                "-keyout", key.toString(), "-out", certificate.toString());
        return new ThrowAwayCertificate(certificate, key, trusting(certificate));
    }

    /**
     * @return the certificate for the server fixtures
     */
    RedisServerProcess.Tls forServers() {
        return new RedisServerProcess.Tls(certificate, key, trusting.getSocketFactory());
    }

    /**
     * Makes the JVM's default SSL context trust this certificate only.
     *
     * @return the default context it replaced, for {@link #restoreDefault(SSLContext)}
     * @throws NoSuchAlgorithmException when there is no default context
     */
    SSLContext trustByDefault() throws NoSuchAlgorithmException {
        SSLContext previous = SSLContext.getDefault();
        // SSLSocketFactory.getDefault() asks SSLContext.getDefault() each time, so this takes effect.
        SSLContext.setDefault(trusting);
        return previous;
    }

    /**
     * @param previous what {@link #trustByDefault()} returned
     */
    static void restoreDefault(SSLContext previous) {
        if (previous != null) {
            SSLContext.setDefault(previous);
        }
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
