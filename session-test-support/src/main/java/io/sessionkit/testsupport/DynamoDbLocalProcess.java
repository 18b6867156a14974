package io.sessionkit.testsupport;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB Local in a JVM of its own, a child process of this one, so that a test can stop,
 * freeze ({@link #suspend()}) and resume it like the other store servers; {@link LocalDynamoDb}
 * runs it inside the test's JVM, where it cannot be frozen alone. In memory, telemetry off, on
 * a free port at 127.0.0.1 only. The child runs {@link LocalDynamoDb#main} on this JVM's class
 * path, which must hold DynamoDB Local, its Jetty and the AWS SDK (as for {@code LocalDynamoDb}).
 *
 * <p>A restarted server holds nothing: tables and items are in memory only.
 */
public final class DynamoDbLocalProcess extends StoreServerProcess {

    private DynamoDbLocalProcess(ServerProcess process) {
        super(process);
    }

    /**
     * Starts the child JVM and waits until DynamoDB Local takes connections.
     *
     * @return the running server
     * @throws IllegalStateException with its output when it does not start
     */
    public static DynamoDbLocalProcess start() {
        int port = FreePort.onLoopback();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(),
                // small and quick to start: it holds test data only
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                LocalDynamoDb.class.getName(), Integer.toString(port));
        return new DynamoDbLocalProcess(ServerProcess.builder("DynamoDB Local", port)
                .command(directory -> command)
                // An answered call, not only an open port: the first requests to a new JVM are slow.
                .readiness(server -> {
                    try (DynamoDbClient client = LocalDynamoDb.clientFor(server.port())) {
                        client.listTables();
                    }
                })
                .startTimeout(Duration.ofSeconds(60))
                .start());
    }

    /**
     * @return the endpoint URL, such as {@code http://127.0.0.1:8000}
     */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * @return a client of this server with {@link LocalDynamoDb#KEY_ID} and {@link LocalDynamoDb#REGION};
     *         the caller closes it
     */
    public DynamoDbClient newClient() {
        return LocalDynamoDb.clientFor(port());
    }

    /**
     * @return the settings that point SessionKit at this server, {@code SESSION_TYPE} first
     */
    public Map<String, String> sessionEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SESSION_TYPE", "dynamodb");
        environment.put("SESSION_DYNAMODB_ENDPOINT_URL", endpoint());
        environment.put("SESSION_DYNAMODB_REGION", LocalDynamoDb.REGION);
        environment.put("SESSION_DYNAMODB_KEY_ID", LocalDynamoDb.KEY_ID);
        environment.put("SESSION_DYNAMODB_SECRET", LocalDynamoDb.SECRET);
        return environment;
    }
}
