package io.sessionkit.cli;

import io.sessionkit.testsupport.LocalDynamoDb;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The tool on the dynamodb backend and DynamoDB Local (in memory), each test in a table of its
 * own that the backend creates with its principal index.
 */
class DynamoDbCliTest extends SessionKitCliStoreTest {

    private final String table = "cli_test_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    Map<String, String> storeSettings() {
        Map<String, String> settings = new LinkedHashMap<>(LocalDynamoDb.shared().sessionEnvironment());
        settings.put("SESSION_DYNAMODB_TABLE", table);
        return settings;
    }

    @Override
    boolean keepsExpiredEntries() {
        return false;
    }
}
