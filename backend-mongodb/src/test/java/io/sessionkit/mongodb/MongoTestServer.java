package io.sessionkit.mongodb;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The MongoDB server the tests run against, one per test JVM.
 *
 * <p>By default an in-JVM mongo-java-server (memory backend) on a free loopback port, shut down
 * when the JVM exits. When the environment variable {@value #URI_VARIABLE} holds a connection
 * string, that server is used instead, so the same tests prove the store on a real
 * {@code mongod}: {@code SESSION_TEST_MONGODB_URI=mongodb://127.0.0.1:27017 mvn -pl backend-mongodb test}.
 */
final class MongoTestServer {

    /** Names a real server to test against instead of the in-JVM one. */
    static final String URI_VARIABLE = "SESSION_TEST_MONGODB_URI";
    /** The database every test uses; tests keep apart by their key prefixes and collection names. */
    static final String DATABASE = "sessionkit_test";

    /**
     * mongo-java-server warns on every createIndex that it does not build secondary indexes (it
     * still lists them, which is what the tests check) and on every shutdown with clients
     * connected; held here so the level sticks.
     */
    private static final Logger SERVER_WARNINGS = Logger.getLogger("de.bwaldvogel.mongo");

    static {
        SERVER_WARNINGS.setLevel(Level.SEVERE);
    }

    private static String connectionString;

    private MongoTestServer() {
    }

    /**
     * @return the connection string of the server under test, starting the in-JVM one on first use
     */
    static synchronized String connectionString() {
        if (connectionString == null) {
            String external = System.getenv(URI_VARIABLE);
            connectionString = external != null && !external.isBlank() ? external.trim() : startInJvmServer(0);
        }
        return connectionString;
    }

    /**
     * @return whether the tests run against a real server named by {@value #URI_VARIABLE}
     */
    static boolean isExternal() {
        String external = System.getenv(URI_VARIABLE);
        return external != null && !external.isBlank();
    }

    /**
     * Starts a private in-JVM server, stopped at JVM exit at the latest.
     *
     * @param port the loopback port, 0 for a free one
     * @return the server, listening
     */
    static MongoServer startPrivateServer(int port) {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-java-server shutdown"));
        return server;
    }

    /**
     * @param server a listening server
     * @return its connection string
     */
    static String connectionStringOf(MongoServer server) {
        InetSocketAddress address = server.getLocalAddress();
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    private static String startInJvmServer(int port) {
        return connectionStringOf(startPrivateServer(port));
    }
}
