package io.sessionkit.cli;

import io.sessionkit.testsupport.LocalMongoServer;
import java.util.Map;
import java.util.UUID;

/**
 * The tool on the mongodb backend and the in-JVM wire-protocol server (mongo-java-server), each
 * test in a collection of its own. That server ignores TTL indexes, so expired documents stay
 * until read; the backend treats them as absent, and has no clean-up of its own to run.
 */
class MongoCliTest extends SessionKitCliStoreTest {

    private final String collection = "cli_test_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    Map<String, String> storeSettings() {
        return Map.of("SESSION_TYPE", "mongodb", "SESSION_MONGODB", LocalMongoServer.shared().connectionString(),
                "SESSION_MONGODB_COLLECT", collection);
    }

    @Override
    boolean keepsExpiredEntries() {
        return false;
    }
}
