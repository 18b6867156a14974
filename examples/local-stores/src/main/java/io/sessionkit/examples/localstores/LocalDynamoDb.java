package io.sessionkit.examples.localstores;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}) in this JVM, in memory, telemetry off,
 * listening on 127.0.0.1 only. It accepts the TTL setting the store makes but never deletes
 * expired items; SessionKit checks the expiry on every read.
 *
 * <p>DynamoDB Local keeps a separate database per access key id and region (without
 * {@code -sharedDb}), so every client that should see the demo's table must use
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
        int chosenPort = port == 0 ? freeLoopbackPort() : port;
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

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
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
