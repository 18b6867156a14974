package io.sessionkit.mongodb;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;

/**
 * The backend contract against the in-JVM mongo-java-server, or against the real server named
 * by {@code SESSION_TEST_MONGODB_URI} when it is set.
 */
class MongoSessionBackendContractTest extends SessionBackendContract {

    @Override
    protected String type() {
        return "mongodb";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_MONGODB", MongoTestServer.connectionString())
                .set("SESSION_MONGODB_DB", MongoTestServer.DATABASE)
                .set("SESSION_MONGODB_COLLECT", "contract_sessions");
    }
}
