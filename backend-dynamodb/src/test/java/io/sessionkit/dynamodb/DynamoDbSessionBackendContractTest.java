package io.sessionkit.dynamodb;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.LocalDynamoDb;

/**
 * The backend contract against DynamoDB Local over HTTP, on 127.0.0.1.
 */
class DynamoDbSessionBackendContractTest extends SessionBackendContract {

    @Override
    protected String type() {
        return "dynamodb";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        LocalDynamoDb.shared().sessionEnvironment().forEach(config::set);
        config.set("SESSION_DYNAMODB_TABLE", "ContractSessions");
    }

    /** DynamoDB items are limited to 400 KB, names and key included. */
    @Override
    protected int largePayloadSize() {
        return 380 * 1024;
    }
}
