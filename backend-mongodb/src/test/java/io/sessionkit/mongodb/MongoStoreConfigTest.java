package io.sessionkit.mongodb;

import com.mongodb.MongoClientSettings;
import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionStoreException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.FreePort;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reading and validating the {@code SESSION_MONGODB*} keys, and start-up against no server.
 */
class MongoStoreConfigTest {

    private static MongoStoreConfig read(Map<String, ?> values) {
        return MongoStoreConfig.read(SessionConfig.builder().fromMap(values).build(), false);
    }

    @Test
    void defaultsFollowFlaskSession() {
        MongoStoreConfig config = read(Map.of());
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
    void connectionStringIsNotCheckedWhenAClientIsHandedIn() {
        SessionConfig config = SessionConfig.builder().set("SESSION_MONGODB", "not a url").build();
        MongoStoreConfig settings = MongoStoreConfig.read(config, true);
        assertNull(settings.connectionString());
        assertEquals("flask_session", settings.database());
    }

    @Test
    void startUpWithNoServerListeningFailsAsStoreErrorNamingTheAddress() throws Exception {
        int port = FreePort.onLoopback();
        SessionConfig config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "mongodb")
                .set("SESSION_MONGODB", "mongodb://user:hunter2@127.0.0.1:" + port)
                .set("SESSION_MONGODB_TIMEOUT", "1")
                .build();
        SessionStoreException error = assertThrows(SessionStoreException.class,
                () -> BackendRegistry.load().create(config));
        assertEquals("mongodb", error.storeType());
        assertTrue(error.getMessage().contains("127.0.0.1:" + port), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_MONGODB_TIMEOUT"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }
}
