package io.sessionkit.testsupport;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.lang.reflect.Field;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}) in this JVM, in memory, telemetry off,
 * listening on 127.0.0.1 only, reached over HTTP so requests take the SDK's real path. It
 * accepts the TTL setting the store makes but never deletes expired items; SessionKit checks
 * the expiry on every read. Needs DynamoDB Local and the AWS SDK's {@code dynamodb} and
 * {@code url-connection-client} on the class path.
 *
 * <p>DynamoDB Local keeps a separate database per access key id and region (without
 * {@code -sharedDb}), so every client that should see the same tables must use
 * {@link #KEY_ID} and {@link #REGION}.
 */
public final class LocalDynamoDb implements LocalStore {

    /** The port DynamoDB Local listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 8000;
    /** Any key id of letters and digits only is accepted; other characters are refused by DynamoDB Local 2.x. */
    public static final String KEY_ID = "local";
    /** Any secret is accepted. */
    public static final String SECRET = "local";
    /** Any region name is accepted; it only selects which of DynamoDB Local's databases is used. */
    public static final String REGION = "us-east-1";

    private static LocalDynamoDb shared;

    private final DynamoDBProxyServer server;
    private final int port;

    private LocalDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts DynamoDB Local on 127.0.0.1.
     *
     * @param port the port, or 0 for any free one
     * @return the running server
     * @throws IllegalStateException when it cannot start, saying why
     */
    public static LocalDynamoDb start(int port) {
        // DynamoDB Local refuses port 0, so a free port is looked up first.
        int chosenPort = port == 0 ? FreePort.onLoopback() : port;
        DynamoDBProxyServer server;
        try {
            server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(chosenPort), "-disableTelemetry"});
            listenOnLoopbackOnly(server);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not start on 127.0.0.1:" + chosenPort + " ("
                    + e.getMessage() + "); choose another port, or 0 for any free one", e);
        }
        return new LocalDynamoDb(server, chosenPort);
    }

    /**
     * Runs DynamoDB Local on 127.0.0.1 as a program of its own, until the JVM is stopped: how
     * {@link DynamoDbLocalProcess} starts it in a child JVM.
     *
     * @param arguments the port
     * @throws InterruptedException never; the main thread only waits
     */
    public static void main(String[] arguments) throws InterruptedException {
        if (arguments.length != 1 || !arguments[0].matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("usage: java -cp ... " + LocalDynamoDb.class.getName() + " PORT");
        }
        LocalDynamoDb server = start(Integer.parseInt(arguments[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop DynamoDB Local"));
        Thread.currentThread().join();
    }

    /**
     * @return a server on a free port shared by every caller in this JVM, started on first
     *         use and stopped when the JVM exits
     */
    public static synchronized LocalDynamoDb shared() {
        if (shared == null) {
            shared = start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop shared DynamoDB Local"));
        }
        return shared;
    }

    /**
     * DynamoDB Local has no option for the address to listen on and would listen on every
     * interface, offering an unauthenticated database to the network. Its Jetty connector is
     * moved to 127.0.0.1 before it starts.
     */
    private static void listenOnLoopbackOnly(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field serverField = DynamoDBProxyServer.class.getDeclaredField("server");
        serverField.setAccessible(true);
        Server jetty = (Server) serverField.get(proxy);
        Connector[] connectors = jetty.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local's Jetty server has no connector to bind to 127.0.0.1;"
                    + " this DynamoDBLocal version is not supported by the launcher");
        }
        for (Connector connector : connectors) {
            ((ServerConnector) connector).setHost("127.0.0.1");
        }
    }

    /**
     * @param port the port of a DynamoDB Local at 127.0.0.1
     * @return a client of it with {@link #KEY_ID} and {@link #REGION}; the caller closes it
     */
    public static DynamoDbClient clientFor(int port) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpointFor(port)))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /**
     * @return a client of this server, to look at tables and items directly; the caller closes it
     */
    public DynamoDbClient newClient() {
        return clientFor(port);
    }

    @Override
    public String sessionType() {
        return "dynamodb";
    }

    @Override
    public String description() {
        return "DynamoDB Local (in memory)";
    }

    @Override
    public int port() {
        return port;
    }

    /**
     * @return the endpoint URL of this server, such as {@code http://127.0.0.1:8000}
     */
    public String endpoint() {
        return endpointFor(port);
    }

    private static String endpointFor(int port) {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public Map<String, String> sessionEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SESSION_TYPE", sessionType());
        environment.put("SESSION_DYNAMODB_ENDPOINT_URL", endpoint());
        environment.put("SESSION_DYNAMODB_REGION", REGION);
        environment.put("SESSION_DYNAMODB_KEY_ID", KEY_ID);
        environment.put("SESSION_DYNAMODB_SECRET", SECRET);
        return environment;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local on 127.0.0.1:" + port + " did not stop: " + e.getMessage(), e);
        }
    }
}
