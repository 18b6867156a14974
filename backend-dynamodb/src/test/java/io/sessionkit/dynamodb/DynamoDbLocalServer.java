package io.sessionkit.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.sessionkit.core.SessionConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/**
 * DynamoDB Local (in memory, telemetry off), started in the test JVM over HTTP on a free port,
 * so requests take the SDK's real HTTP path. One per test JVM unless a test starts its own;
 * each is stopped when the JVM exits at the latest. DynamoDB Local has no bind-address option:
 * it listens on all interfaces, and the tests only ever talk to 127.0.0.1.
 */
final class DynamoDbLocalServer {

    /** DynamoDB Local accepts any key pair whose id is letters and digits only. */
    static final String KEY_ID = "sessionkitTest";
    static final String SECRET = "sessionkitTestSecret";
    static final String REGION = "eu-west-1";

    private static DynamoDbLocalServer shared;

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @return the server shared by the tests of this JVM, started on first use
     */
    static synchronized DynamoDbLocalServer shared() {
        if (shared == null) {
            shared = start(freePort());
        }
        return shared;
    }

    /**
     * Starts a private server.
     *
     * @param port the port, e.g. from {@link #freePort()}
     * @return the running server
     */
    static DynamoDbLocalServer start(int port) {
        DynamoDBProxyServer server;
        try {
            server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local (com.amazonaws:DynamoDBLocal, test scope) did not start on port "
                    + port + ": " + e, e);
        }
        DynamoDbLocalServer local = new DynamoDbLocalServer(server, port);
        Runtime.getRuntime().addShutdownHook(new Thread(local::stop, "DynamoDB Local shutdown"));
        return local;
    }

    /**
     * @return a loopback port nobody listened on a moment ago
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Stops the server; safe to call twice. */
    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local on port " + port + " did not stop: " + e, e);
        }
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * @param config the builder to point at this server with a test key pair
     * @return the builder
     */
    SessionConfig.Builder configure(SessionConfig.Builder config) {
        return config.set("SESSION_DYNAMODB_ENDPOINT_URL", endpoint())
                .set("SESSION_DYNAMODB_REGION", REGION)
                .set("SESSION_DYNAMODB_KEY_ID", KEY_ID)
                .set("SESSION_DYNAMODB_SECRET", SECRET);
    }

    /**
     * @return a client of this server for tests to look at tables and items directly; the caller closes it
     */
    DynamoDbClient newClient() {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
