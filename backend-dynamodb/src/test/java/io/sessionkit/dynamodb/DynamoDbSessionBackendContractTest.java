package io.sessionkit.dynamodb;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;

/**
 * The backend contract against DynamoDB Local over HTTP.
 */
class DynamoDbSessionBackendContractTest extends SessionBackendContract {

    @Override
    protected String type() {
        return "dynamodb";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        DynamoDbLocalServer.shared().configure(config).set("SESSION_DYNAMODB_TABLE", "ContractSessions");
    }

    /** DynamoDB items are limited to 400 KB, names and key included. */
    @Override
    protected int largePayloadSize() {
        return 380 * 1024;
    }
}
