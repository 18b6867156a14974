package io.sessionkit.mongodb;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reading and validating the {@code SESSION_MONGODB*} keys and a client handed in, and start-up
 * against no server.
 */
class MongoSettingsTest {

    private static MongoSettings read(Map<String, ?> values) {
        return MongoSettings.read(SessionConfig.builder().fromMap(values).build());
    }

    /** A client of the test server; building one does not connect. */
    private static MongoClient testServerClient() {
        return MongoClients.create(MongoTestServer.connectionString());
    }

    @Test
    void defaultsFollowFlaskSession() {
        MongoSettings config = read(Map.of());
        assertEquals(java.util.List.of("127.0.0.1:27017"), config.connectionString().getHosts());
        assertEquals("flask_session", config.database());
        assertEquals("sessions", config.collection());
        assertEquals(Duration.ofSeconds(5), config.timeout());
    }

    @Test
    void timeoutAppliesToServerSelectionConnectAndRead() {
        MongoClientSettings settings = read(Map.of("SESSION_MONGODB_TIMEOUT", "2")).clientSettings();
        assertEquals(2000, settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(2000, settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals(2000, settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS));
    }

    @Test
    void timeoutsInTheConnectionStringWinOverTheTimeoutKey() {
        MongoClientSettings settings = read(Map.of(
                "SESSION_MONGODB", "mongodb://db.example:27017/?serverSelectionTimeoutMS=700&connectTimeoutMS=900",
                "SESSION_MONGODB_TIMEOUT", "PT3S")).clientSettings();
        assertEquals(700, settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(900, settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals(3000, settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS));
    }

    @Test
    void invalidConnectionStringIsNamedWithItsPasswordMasked() {
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> read(Map.of("SESSION_MONGODB", "mongodb://admin:hunter2@db.example:notaport")));
        assertTrue(error.getMessage().contains("SESSION_MONGODB was 'mongodb://admin:***@db.example:notaport'"),
                error.getMessage());
        assertTrue(error.getMessage().contains("connection string"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void connectionStringWithoutMongodbSchemeIsRejected() {
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> read(Map.of("SESSION_MONGODB", "127.0.0.1:27017")));
        assertEquals(1, error.problems().size());
        assertTrue(error.problems().get(0).startsWith("SESSION_MONGODB was '127.0.0.1:27017'"), error.getMessage());
    }

    @Test
    void everyBadKeyIsReportedAtOnce() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> read(Map.of(
                "SESSION_MONGODB", "http://nope",
                "SESSION_MONGODB_DB", "bad.db",
                "SESSION_MONGODB_COLLECT", "$cmd",
                "SESSION_MONGODB_TIMEOUT", "soon")));
        assertEquals(4, error.problems().size(), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_MONGODB_DB was 'bad.db'"), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_MONGODB_COLLECT was '$cmd'"), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_MONGODB_TIMEOUT was 'soon'"), error.getMessage());
    }

    @Test
    void timeoutBeyondWhatTheDriverTakesIsRejectedNamingTheRange() {
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> read(Map.of("SESSION_MONGODB_TIMEOUT", "P30D")));
        assertEquals(List.of("SESSION_MONGODB_TIMEOUT was 'P30D' but it must be a duration of at least PT0.001S and at most "
                + Duration.ofMillis(Integer.MAX_VALUE) + " in seconds (3600) or ISO-8601 (PT30M, P31D)"), error.problems());
    }

    @Test
    void aConnectionKeySetBesideAHandedInClientIsAConfigurationErrorNamingBoth() {
        try (MongoClient client = testServerClient()) {
            SessionConfig config = SessionConfig.builder()
                    .set("SESSION_MONGODB", "not even a url")
                    .set("SESSION_MONGODB_TIMEOUT", "2")
                    .client(client)
                    .build();
            SessionConfigException error = assertThrows(SessionConfigException.class, () -> MongoSettings.read(config));
            assertEquals(2, error.problems().size(), error.getMessage());
            for (String key : List.of("SESSION_MONGODB", "SESSION_MONGODB_TIMEOUT")) {
                assertTrue(error.problems().stream().anyMatch(problem -> problem.startsWith(key + " is set but a ")
                                && problem.contains(client.getClass().getName()) && problem.contains("handed in")),
                        error.getMessage());
            }
        }
    }

    @Test
    void databaseAndCollectionApplyToAHandedInClient() {
        try (MongoClient client = testServerClient()) {
            MongoSettings settings = MongoSettings.read(SessionConfig.builder()
                    .set("SESSION_MONGODB_DB", "apps")
                    .set("SESSION_MONGODB_COLLECT", "web_sessions")
                    .client(client)
                    .build());
            assertSame(client, settings.handedIn().orElseThrow());
            assertNull(settings.connectionString());
            assertEquals("apps", settings.database());
            assertEquals("web_sessions", settings.collection());
            assertEquals("a MongoClient handed in apps.web_sessions", settings.describeLocation());
        }
    }

    @Test
    void everyKeyIsReadWithAClientOfOurOwn() {
        SessionConfig config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, MongoSessionBackendProvider.TYPE)
                .set("SESSION_MONGODB", MongoTestServer.connectionString())
                .set("SESSION_MONGODB_DB", MongoTestServer.DATABASE)
                .set("SESSION_MONGODB_COLLECT", "settings_sessions")
                .set("SESSION_MONGODB_TIMEOUT", "PT3S")
                .build();
        try (SessionBackend backend = BackendRegistry.load().create(config)) {
            assertEquals(Map.of(), config.unreadKeys());
        }
    }

    @Test
    void everyKeyThatAppliesIsReadWithAHandedInClient() {
        try (MongoClient client = testServerClient()) {
            SessionConfig config = SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, MongoSessionBackendProvider.TYPE)
                    .set("SESSION_MONGODB_DB", MongoTestServer.DATABASE)
                    .set("SESSION_MONGODB_COLLECT", "settings_sessions")
                    .client(client)
                    .build();
            try (SessionBackend backend = BackendRegistry.load().create(config)) {
                assertEquals(Map.of(), config.unreadKeys());
            }
        }
    }

    @Test
    void startUpWithNoServerListeningFailsAsStoreErrorNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SessionConfig config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "mongodb")
                .set("SESSION_MONGODB", "mongodb://user:hunter2@127.0.0.1:" + port)
                .set("SESSION_MONGODB_TIMEOUT", "1")
                .build();
        SessionBackendException error = assertThrows(SessionBackendException.class,
                () -> BackendRegistry.load().create(config));
        assertEquals(MongoSessionBackendProvider.TYPE, error.backendType());
        assertTrue(error.getMessage().contains("127.0.0.1:" + port), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_MONGODB_TIMEOUT"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void failedStartUpClosesTheClientItBuilt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        SessionConfig config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "mongodb")
                .set("SESSION_MONGODB", "mongodb://" + address)
                .set("SESSION_MONGODB_TIMEOUT", "1")
                .build();
        assertThrows(SessionBackendException.class, () -> BackendRegistry.load().create(config));
        // The driver names its monitor threads after the server; they end when the client is closed.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().contains(address))) {
            assertTrue(System.nanoTime() < deadline, "the client's threads for " + address + " still run: "
                    + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.contains(address)).toList());
            Thread.sleep(50);
        }
    }
}
