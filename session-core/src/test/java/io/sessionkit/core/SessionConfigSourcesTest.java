package io.sessionkit.core;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Where a {@link SessionConfig}'s values come from and how a store reads them back.
 */
class SessionConfigSourcesTest {

    @Test
    void propertiesAreTakenEntryByEntry() {
        Properties properties = new Properties();
        properties.setProperty("SESSION_KEY_PREFIX", "props:");
        properties.setProperty("SESSION_REDIS", "redis://127.0.0.1:6379/2");
        SessionConfig config = SessionConfig.builder().fromProperties(properties).build();
        assertEquals("props:", config.keyPrefix());
        assertEquals(Optional.of("redis://127.0.0.1:6379/2"), config.get("SESSION_REDIS"));
    }

    @Test
    void anyKeyIsReadBackAsTextForTheStore() {
        SessionConfig config = SessionConfig.builder().set("SESSION_FILE_THRESHOLD", 500).build();
        assertEquals(Optional.of("500"), config.get("SESSION_FILE_THRESHOLD"));
        assertEquals(Optional.empty(), config.get("SESSION_FILE_MODE"));
    }

    @Test
    void toBuilderKeepsValuesClientsAndClock() {
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        StringBuilder client = new StringBuilder("a client");
        SessionConfig original = SessionConfig.builder().set("SESSION_KEY_PREFIX", "app:").client(client).clock(clock).build();
        SessionConfig copy = original.toBuilder().set("SESSION_COOKIE_NAME", "sid").build();
        assertEquals("app:", copy.keyPrefix());
        assertEquals("sid", copy.cookie().name());
        assertSame(client, copy.client(StringBuilder.class).orElseThrow());
        assertSame(clock, copy.clock());
        assertEquals("session", original.cookie().name(), "the original is unchanged");
    }

    @Test
    void toBuilderKeepsWhereEachValueCameFrom() {
        System.setProperty("SESSION_FROM_PROPERTY", "1");
        try {
            SessionConfig original = SessionConfig.builder().fromSystemProperties().build();
            SessionConfig copy = original.toBuilder().set("SESSION_COOKIE_NAME", "sid").build();
            assertEquals("system property", copy.unreadKeys().get("SESSION_FROM_PROPERTY"));
        } finally {
            System.clearProperty("SESSION_FROM_PROPERTY");
        }
    }

    @Test
    void aSecretKeyIsKeptWithoutTheSigner() {
        SessionConfig config = SessionConfig.builder().set("SECRET_KEY", "current").set("SECRET_KEY_FALLBACKS", List.of("old")).build();
        assertFalse(config.useSigner());
        assertEquals(List.of("current", "old"), config.secretKeys());
    }

    @Test
    void sessionKitKeysAreRecognisedByName() {
        for (String key : List.of("SESSION_TYPE", "SESSION_ANYTHING", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "PERMANENT_SESSION_LIFETIME")) {
            assertTrue(SessionConfig.isSessionKey(key), key);
        }
        for (String key : List.of("PATH", "session_type", "SECRET_KEYS", "MY_SECRET_KEY", "PERMANENT_SESSION", "SESSION")) {
            assertFalse(SessionConfig.isSessionKey(key), key);
        }
    }

    @Test
    void loadWithoutArgumentsReadsTheSameSourcesAsLoadWithAnEmptyMap() {
        assertEquals(SessionConfig.load(Map.of()).toString(), SessionConfig.load().toString());
    }
}
