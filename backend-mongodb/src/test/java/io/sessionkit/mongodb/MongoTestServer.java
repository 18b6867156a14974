package io.sessionkit.mongodb;

import io.sessionkit.testsupport.LocalMongoServer;

/**
 * Which MongoDB server the tests run against: by default the in-JVM mongo-java-server shared
 * by this test JVM ({@link LocalMongoServer#shared()}). When the environment variable
 * {@value #URI_VARIABLE} holds a connection string, that server is used instead, so the same
 * tests prove the store on a real {@code mongod}:
 * {@code SESSION_TEST_MONGODB_URI=mongodb://127.0.0.1:27017 mvn -pl backend-mongodb -am test}.
 */
final class MongoTestServer {

    /** Names a real server to test against instead of the in-JVM one. */
    static final String URI_VARIABLE = "SESSION_TEST_MONGODB_URI";
    /** The database every test uses; tests keep apart by their key prefixes and collection names. */
    static final String DATABASE = "sessionkit_test";

    private MongoTestServer() {
    }

    /**
     * @return the connection string of the server under test, starting the in-JVM one on first use
     */
    static String connectionString() {
        String external = System.getenv(URI_VARIABLE);
        return external != null && !external.isBlank() ? external.trim() : LocalMongoServer.shared().connectionString();
    }
}
