package io.sessionkit.examples.localstores;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.sessionkit.testsupport.LocalStore;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts each local server on a free port and reaches it with the store's real client, set up
 * only from the environment variables the launcher prints.
 */
class LocalStoresTest {

    @Test
    void mongoClientPingsTheLocalServerAtThePrintedConnectionString() {
        try (LocalStore store = LocalStoreType.MONGODB.start(0)) {
            Map<String, String> environment = store.sessionEnvironment();
            assertEquals(List.of("SESSION_TYPE", "SESSION_MONGODB"), List.copyOf(environment.keySet()));
            assertEquals("mongodb", environment.get("SESSION_TYPE"));
            assertEquals("mongodb://127.0.0.1:" + store.port(), environment.get("SESSION_MONGODB"));
            assertTrue(store.port() > 0, "the real port is reported, not 0");

            try (MongoClient client = MongoClients.create(environment.get("SESSION_MONGODB"))) {
                Document answer = client.getDatabase("admin").runCommand(new Document("ping", 1));
                assertEquals(1.0, answer.get("ok", Number.class).doubleValue(), "ping answer " + answer.toJson());
            }
        }
    }

    @Test
    void dynamoDbClientListsTablesOfDynamoDbLocalWithThePrintedSettings() {
        try (LocalStore store = LocalStoreType.DYNAMODB.start(0)) {
            Map<String, String> environment = store.sessionEnvironment();
            assertEquals("dynamodb", environment.get("SESSION_TYPE"));
            assertEquals("http://127.0.0.1:" + store.port(), environment.get("SESSION_DYNAMODB_ENDPOINT_URL"));
            assertTrue(environment.get("SESSION_DYNAMODB_KEY_ID").matches("[A-Za-z0-9]+"),
                    "DynamoDB Local 2.x accepts key ids of letters and digits only");

            try (DynamoDbClient client = DynamoDbClient.builder()
                    .endpointOverride(URI.create(environment.get("SESSION_DYNAMODB_ENDPOINT_URL")))
                    .region(Region.of(environment.get("SESSION_DYNAMODB_REGION")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            environment.get("SESSION_DYNAMODB_KEY_ID"), environment.get("SESSION_DYNAMODB_SECRET"))))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build()) {
                assertEquals(List.of(), client.listTables().tableNames(), "a fresh in-memory DynamoDB Local");
            }
        }
    }

    @Test
    void aPortInUseIsReportedWithTheAddress() {
        try (LocalStore first = LocalStoreType.MONGODB.start(0)) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> LocalStoreType.MONGODB.start(first.port()).close());
            assertTrue(failure.getMessage().contains("127.0.0.1:" + first.port()), failure.getMessage());
        }
    }

    @Test
    void argumentsDefaultToTheRealServersPortsAndExplainMistakes() {
        assertEquals(new LauncherArguments(LocalStoreType.MONGODB, 27017), LauncherArguments.parse(new String[] {"mongodb"}));
        assertEquals(new LauncherArguments(LocalStoreType.DYNAMODB, 8000), LauncherArguments.parse(new String[] {"DynamoDB"}));
        assertEquals(new LauncherArguments(LocalStoreType.DYNAMODB, 0), LauncherArguments.parse(new String[] {"dynamodb", "0"}));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> LauncherArguments.parse(new String[] {"redis"}));
        assertEquals("the store was 'redis' but it must be one of mongodb|dynamodb", unknown.getMessage());
        IllegalArgumentException badPort = assertThrows(IllegalArgumentException.class,
                () -> LauncherArguments.parse(new String[] {"mongodb", "70000"}));
        assertTrue(badPort.getMessage().startsWith("the port was '70000' but it must be a number from 0 to 65535"),
                badPort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LauncherArguments.parse(new String[0]));
    }
}
