package io.sessionkit.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-JVM server that speaks MongoDB's wire protocol (mongo-java-server with its memory
 * backend) on 127.0.0.1. It accepts the TTL index the store creates but never deletes expired
 * documents; SessionKit checks the expiry on every read, so it behaves as a real {@code mongod}.
 * Needs {@code de.bwaldvogel:mongo-java-server} and its memory backend on the class path.
 */
public final class LocalMongoServer implements LocalStore {

    /** The port a MongoDB server listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 27017;

    private static LocalMongoServer shared;

    private final MongoServer server;
    private final int port;

    private LocalMongoServer(MongoServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port the port, or 0 for any free one
     * @return the running server
     * @throws IllegalStateException when the port cannot be bound, saying which
     */
    public static LocalMongoServer start(int port) {
        MongoServer server = new MongoServer(new MemoryBackend());
        try {
            server.bind("127.0.0.1", port);
        } catch (Exception e) { // bind throws java.net.BindException without declaring it
            server.shutdownNow();
            throw new IllegalStateException("the MongoDB wire-protocol server could not listen on 127.0.0.1:" + port
                    + " (" + e.getMessage() + "); choose another port, or 0 for any free one", e);
        }
        InetSocketAddress address = server.getLocalAddress();
        return new LocalMongoServer(server, address.getPort());
    }

    /**
     * @return a server on a free port shared by every caller in this JVM, started on first
     *         use and stopped when the JVM exits
     */
    public static synchronized LocalMongoServer shared() {
        if (shared == null) {
            shared = start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop shared mongo-java-server"));
        }
        return shared;
    }

    @Override
    public String sessionType() {
        return "mongodb";
    }

    @Override
    public String description() {
        return "MongoDB wire-protocol server (mongo-java-server, in memory)";
    }

    @Override
    public int port() {
        return port;
    }

    /**
     * @return the connection string of this server, such as {@code mongodb://127.0.0.1:27017}
     */
    public String connectionString() {
        return "mongodb://127.0.0.1:" + port;
    }

    @Override
    public Map<String, String> sessionEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SESSION_TYPE", sessionType());
        environment.put("SESSION_MONGODB", connectionString());
        return environment;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
