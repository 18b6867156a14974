package io.sessionkit.dynamodb;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.FreePort;
import io.sessionkit.testsupport.LocalDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reading and validating the {@code SESSION_DYNAMODB_*} keys and a client handed in, and start-up
 * against no server.
 */
class DynamoDbSettingsTest {

    private static final AwsRegionProvider NO_REGION = () -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    private static DynamoDbSettings read(Map<String, ?> values, AwsRegionProvider defaultRegions,
                                            AwsRegionProvider endpointRegions) {
        return DynamoDbSettings.read(SessionConfig.builder().fromMap(values).build(), defaultRegions, endpointRegions);
    }

    private static DynamoDbSettings read(Map<String, ?> values) {
        return read(values, () -> Region.EU_CENTRAL_1, NO_REGION);
    }

    @Test
    void defaultsAreSessionsTableCreatedWhenMissingSdkRegionAndCredentialChainsAndFiveSeconds() {
        DynamoDbSettings config = read(Map.of());
        assertEquals("Sessions", config.table());
        assertTrue(config.createTable());
        assertEquals(Region.EU_CENTRAL_1, config.region());
        assertNull(config.endpoint());
        assertInstanceOf(DefaultCredentialsProvider.class, config.credentials());
        assertEquals(Duration.ofSeconds(5), config.timeout());
    }

    @Test
    void configuredRegionWinsOverTheSdkChain() {
        assertEquals(Region.of("ap-southeast-2"), read(Map.of("SESSION_DYNAMODB_REGION", "ap-southeast-2")).region());
    }

    @Test
    void endpointWithoutRegionFallsBackToUsEast1WithoutAskingInstanceMetadata() {
        AwsRegionProvider instanceMetadata = () -> fail("the default chain (with instance metadata) was consulted");
        DynamoDbSettings config = read(Map.of("SESSION_DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:8000"),
                instanceMetadata, NO_REGION);
        assertEquals(Region.US_EAST_1, config.region());
        assertEquals(URI.create("http://127.0.0.1:8000"), config.endpoint());
    }

    @Test
    void endpointWithoutRegionUsesARegionFromSettingsOrProfile() {
        DynamoDbSettings config = read(Map.of("SESSION_DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:8000"),
                NO_REGION, () -> Region.SA_EAST_1);
        assertEquals(Region.SA_EAST_1, config.region());
    }

    @Test
    void noRegionAnywhereIsAConfigurationErrorNamingTheKey() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> read(Map.of(), NO_REGION, NO_REGION));
        assertTrue(error.getMessage().contains("SESSION_DYNAMODB_REGION is not set"), error.getMessage());
    }

    @Test
    void keyPairBecomesStaticCredentials() {
        AwsCredentials credentials = read(Map.of("SESSION_DYNAMODB_KEY_ID", "AKIDEXAMPLE",
                "SESSION_DYNAMODB_SECRET", "wJalrXUtnFEMI")).credentials().resolveCredentials();
        assertEquals("AKIDEXAMPLE", credentials.accessKeyId());
        assertEquals("wJalrXUtnFEMI", credentials.secretAccessKey());
    }

    @Test
    void secretWithoutKeyIdIsReportedWithoutPrintingTheSecret() {
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> read(Map.of("SESSION_DYNAMODB_SECRET", "hunter2")));
        assertEquals(1, error.problems().size(), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_DYNAMODB_KEY_ID is not set but it is required when"
                + " SESSION_DYNAMODB_SECRET is set"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void configurationNeverPrintsTheSecret() {
        DynamoDbSettings config = read(Map.of("SESSION_DYNAMODB_KEY_ID", "AKIDEXAMPLE", "SESSION_DYNAMODB_SECRET", "hunter2"));
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }

    @Test
    void everyBadKeyIsReportedAtOnce() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> read(Map.of(
                "SESSION_DYNAMODB_TABLE", "no spaces allowed",
                "SESSION_DYNAMODB_REGION", "EU West",
                "SESSION_DYNAMODB_ENDPOINT_URL", "127.0.0.1:8000",
                "SESSION_DYNAMODB_KEY_ID", "AKIDEXAMPLE",
                "SESSION_DYNAMODB_CREATE_TABLE", "maybe",
                "SESSION_DYNAMODB_TIMEOUT", "-3")));
        String message = error.getMessage();
        assertEquals(6, error.problems().size(), message);
        assertTrue(message.contains("SESSION_DYNAMODB_TABLE was 'no spaces allowed' but it must be a DynamoDB table name"), message);
        assertTrue(message.contains("SESSION_DYNAMODB_REGION was 'EU West' but it must be an AWS region name"), message);
        assertTrue(message.contains("SESSION_DYNAMODB_ENDPOINT_URL was '127.0.0.1:8000' but it must be an http or https URL"), message);
        assertTrue(message.contains("SESSION_DYNAMODB_SECRET is not set but it is required when SESSION_DYNAMODB_KEY_ID is set"), message);
        assertTrue(message.contains("SESSION_DYNAMODB_CREATE_TABLE was 'maybe' but it must be true or false"), message);
        assertTrue(message.contains("SESSION_DYNAMODB_TIMEOUT was '-3'"), message);
    }

    @Test
    void flaskSessionTableExistsTrueMeansDoNotCreate() {
        assertFalse(read(Map.of("SESSION_DYNAMODB_TABLE_EXISTS", "true")).createTable());
        assertTrue(read(Map.of("SESSION_DYNAMODB_TABLE_EXISTS", "false")).createTable());
    }

    @Test
    void createTableAndTableExistsThatContradictAreRejected() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> read(Map.of(
                "SESSION_DYNAMODB_CREATE_TABLE", "true", "SESSION_DYNAMODB_TABLE_EXISTS", "true")));
        assertTrue(error.getMessage().contains("contradict"), error.getMessage());
    }

    /** Every key that says how to connect, with a value that would be valid on its own. */
    private static final Map<String, String> CONNECTION_KEYS = Map.of(
            "SESSION_DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:8000",
            "SESSION_DYNAMODB_REGION", "eu-west-1",
            "SESSION_DYNAMODB_KEY_ID", "AKIDEXAMPLE",
            "SESSION_DYNAMODB_SECRET", "hunter2",
            "SESSION_DYNAMODB_TIMEOUT", "2");

    @Test
    void eachConnectionKeySetBesideAHandedInClientIsAConfigurationErrorNamingBoth() {
        try (DynamoDbClient client = LocalDynamoDb.shared().newClient()) {
            for (Map.Entry<String, String> key : CONNECTION_KEYS.entrySet()) {
                SessionConfig config = SessionConfig.builder().set(key.getKey(), key.getValue()).client(client).build();
                SessionConfigException error = assertThrows(SessionConfigException.class,
                        () -> DynamoDbSettings.read(config, NO_REGION, NO_REGION), key.getKey());
                assertEquals(1, error.problems().size(), error.getMessage());
                String problem = error.problems().get(0);
                assertTrue(problem.startsWith(key.getKey() + " is set but a " + client.getClass().getName()
                        + " was also handed in"), problem);
                assertFalse(problem.contains("hunter2"), problem);
            }
        }
    }

    @Test
    void aBadConnectionKeyBesideAHandedInClientIsReportedAsSetNotParsed() {
        try (DynamoDbClient client = LocalDynamoDb.shared().newClient()) {
            SessionConfig config = SessionConfig.builder()
                    .set("SESSION_DYNAMODB_ENDPOINT_URL", "not a url")
                    .set("SESSION_DYNAMODB_TABLE", "Handed")
                    .client(client)
                    .build();
            SessionConfigException error = assertThrows(SessionConfigException.class,
                    () -> DynamoDbSettings.read(config, NO_REGION, NO_REGION));
            assertEquals(1, error.problems().size(), error.getMessage());
            assertTrue(error.problems().get(0).startsWith("SESSION_DYNAMODB_ENDPOINT_URL is set but a "), error.getMessage());
        }
    }

    @Test
    void tableKeysApplyToAHandedInClientWithoutAskingForARegion() {
        try (DynamoDbClient client = LocalDynamoDb.shared().newClient()) {
            DynamoDbSettings settings = DynamoDbSettings.read(SessionConfig.builder()
                    .set("SESSION_DYNAMODB_TABLE", "Handed")
                    .set("SESSION_DYNAMODB_CREATE_TABLE", "false")
                    .client(client)
                    .build(), NO_REGION, NO_REGION);
            assertSame(client, settings.handedIn().orElseThrow());
            assertEquals("Handed", settings.table());
            assertFalse(settings.createTable());
            assertNull(settings.endpoint());
            assertEquals("table 'Handed' (through the DynamoDbClient handed in)", settings.describeLocation());
        }
    }

    @Test
    void everyKeyIsReadWithAClientOfOurOwn() {
        SessionConfig config = onLocalDynamoDb(SessionConfig.builder())
                .set(ConfigKeys.SESSION_TYPE, DynamoDbSessionBackendProvider.TYPE)
                .set("SESSION_DYNAMODB_TABLE", "SettingsSessions")
                .set("SESSION_DYNAMODB_CREATE_TABLE", "true")
                .set("SESSION_DYNAMODB_TABLE_EXISTS", "false")
                .set("SESSION_DYNAMODB_TIMEOUT", "PT10S")
                .build();
        try (SessionBackend backend = BackendRegistry.load().create(config)) {
            assertEquals(Map.of(), config.unreadKeys());
        }
    }

    @Test
    void everyKeyThatAppliesIsReadWithAHandedInClient() {
        try (DynamoDbClient client = LocalDynamoDb.shared().newClient()) {
            SessionConfig config = SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, DynamoDbSessionBackendProvider.TYPE)
                    .set("SESSION_DYNAMODB_TABLE", "SettingsSessions")
                    .set("SESSION_DYNAMODB_CREATE_TABLE", "true")
                    .set("SESSION_DYNAMODB_TABLE_EXISTS", "false")
                    .client(client)
                    .build();
            try (SessionBackend backend = BackendRegistry.load().create(config)) {
                assertEquals(Map.of(), config.unreadKeys());
            }
        }
    }

    @Test
    void timeoutBeyondWhatTheHttpClientTakesIsRejectedNamingTheRange() {
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> read(Map.of("SESSION_DYNAMODB_TIMEOUT", "P30D")));
        assertEquals(List.of("SESSION_DYNAMODB_TIMEOUT was 'P30D' but it must be a duration of at least PT0.001S and at most "
                + Duration.ofMillis(Integer.MAX_VALUE) + " in seconds (3600) or ISO-8601 (PT30M, P31D)"), error.problems());
    }

    @Test
    void builtClientHasTheRegionEndpointAndCallTimeout() {
        DynamoDbSettings config = read(Map.of("SESSION_DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:8000",
                "SESSION_DYNAMODB_REGION", "eu-north-1", "SESSION_DYNAMODB_TIMEOUT", "2"));
        try (DynamoDbClient client = config.buildClient()) {
            assertEquals(Region.EU_NORTH_1, client.serviceClientConfiguration().region());
            assertEquals(Optional.of(URI.create("http://127.0.0.1:8000")), client.serviceClientConfiguration().endpointOverride());
            assertEquals(Optional.of(Duration.ofSeconds(2)),
                    client.serviceClientConfiguration().overrideConfiguration().apiCallTimeout());
        }
    }

    @Test
    void startUpWithNothingListeningAtTheEndpointFailsAsStoreErrorNamingIt() {
        String endpoint = "http://127.0.0.1:" + FreePort.onLoopback();
        SessionConfig config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "dynamodb")
                .set("SESSION_DYNAMODB_ENDPOINT_URL", endpoint)
                .set("SESSION_DYNAMODB_REGION", "eu-west-1")
                .set("SESSION_DYNAMODB_KEY_ID", "AKIDEXAMPLE")
                .set("SESSION_DYNAMODB_SECRET", "hunter2")
                .set("SESSION_DYNAMODB_TIMEOUT", "1")
                .build();
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> BackendRegistry.load().create(config));
        assertEquals("dynamodb", error.backendType());
        assertTrue(error.getMessage().contains(endpoint), error.getMessage());
        assertTrue(error.getMessage().contains("check SESSION_DYNAMODB_ENDPOINT_URL"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    private static SessionConfig.Builder onLocalDynamoDb(SessionConfig.Builder config) {
        LocalDynamoDb.shared().sessionEnvironment().forEach(config::set);
        return config;
    }
}
