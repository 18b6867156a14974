package io.sessionkit.core;

import io.sessionkit.SessionConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

class SessionConfigTest {

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty("SESSION_KEY_PREFIX");
        System.clearProperty("SESSION_ID_LENGTH");
        System.clearProperty("unrelated.property");
    }

    @Test
    void defaultsAreFlaskSessions() {
        SessionConfig config = SessionConfig.builder().build();
        assertEquals("filesystem", config.type());
        assertTrue(config.permanent());
        assertEquals(Duration.ofDays(31), config.lifetime());
        assertTrue(config.refreshEachRequest());
        assertEquals("session:", config.keyPrefix());
        assertEquals(32, config.idLength());
        assertEquals("json", config.serializationFormat());
        assertFalse(config.useSigner());
        assertEquals(new CookieSettings("session", null, "/", true, false, null, false), config.cookie());
    }

    @Test
    void codeOverridesSystemPropertiesWhichOverrideTheEnvironment() {
        System.setProperty("SESSION_KEY_PREFIX", "from-property:");
        System.setProperty("SESSION_ID_LENGTH", "48");
        System.setProperty("unrelated.property", "x");
        SessionConfig config = SessionConfig.load(Map.of("SESSION_KEY_PREFIX", "from-code:"));
        assertEquals("from-code:", config.keyPrefix());
        assertEquals(48, config.idLength());
        assertTrue(config.get("unrelated.property").isEmpty(), "only SessionKit keys are taken from system properties");
    }

    @Test
    void laterBuilderSourcesOverrideEarlierOnesAndBlankUnsets() {
        Properties properties = new Properties();
        properties.setProperty("SESSION_KEY_PREFIX", "props:");
        SessionConfig config = SessionConfig.builder().fromProperties(properties).fromMap(Map.of("SESSION_COOKIE_NAME", "sid"))
                .set("SESSION_KEY_PREFIX", "  ").build();
        assertEquals("session:", config.keyPrefix());
        assertEquals("sid", config.cookie().name());
    }

    @Test
    void durationsAreSecondsOrIso8601() {
        assertEquals(Duration.ofMinutes(30), SessionConfig.builder().set("PERMANENT_SESSION_LIFETIME", "PT30M").build().lifetime());
        assertEquals(Duration.ofDays(2), SessionConfig.builder().set("PERMANENT_SESSION_LIFETIME", "p2d").build().lifetime());
        assertEquals(Duration.ofSeconds(3600), SessionConfig.builder().set("PERMANENT_SESSION_LIFETIME", "3600").build().lifetime());
        assertEquals(Duration.ofHours(1), SessionConfig.builder().set("PERMANENT_SESSION_LIFETIME", Duration.ofHours(1)).build().lifetime());
    }

    @Test
    void everyInvalidValueIsReportedAtOnceNamingKeyValueAndWhatIsAllowed() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> SessionConfig.builder()
                .set("SESSION_PERMANENT", "maybe")
                .set("PERMANENT_SESSION_LIFETIME", "forever")
                .set("SESSION_ID_LENGTH", "8")
                .set("SESSION_SIGNER_DIGEST", "md5")
                .set("SESSION_COOKIE_SAMESITE", "sometimes")
                .set("SESSION_MAX_SIZE", "-5")
                .build());
        assertEquals(List.of(
                "SESSION_PERMANENT was 'maybe' but it must be true or false",
                "PERMANENT_SESSION_LIFETIME was 'forever' but it must be a duration of at least PT1S and at most PT876000H in seconds (3600) or ISO-8601 (PT30M, P31D)",
                "SESSION_ID_LENGTH was '8' but it must be a whole number from 16 to 128",
                "SESSION_MAX_SIZE was '-5' but it must be a whole number of at least 0",
                "SESSION_SIGNER_DIGEST was 'md5' but it must be one of sha1, sha256, sha384, sha512",
                "SESSION_COOKIE_SAMESITE was 'sometimes' but it must be one of Strict, Lax, None"), error.problems());
        assertTrue(error.getMessage().startsWith("Invalid session configuration (6 problems):"), error.getMessage());
    }

    @Test
    void theSignerNeedsASecretKeyAndSecretsAreNeverPrinted() {
        SessionConfigException missing = assertThrows(SessionConfigException.class,
                () -> SessionConfig.builder().set("SESSION_USE_SIGNER", "true").build());
        assertEquals(List.of("SECRET_KEY is not set but it is required when SESSION_USE_SIGNER is true"), missing.problems());

        SessionConfig config = SessionConfig.builder().set("SESSION_USE_SIGNER", "true").set("SECRET_KEY", "hunter2")
                .set("SECRET_KEY_FALLBACKS", "[\"old1\", \"old2\"]").set("SESSION_REDIS", "redis://user:pa55word@host:6379/0").build();
        assertEquals(List.of("hunter2", "old1", "old2"), config.secretKeys());
        String printed = config.toString();
        assertFalse(printed.contains("hunter2") || printed.contains("old1") || printed.contains("pa55word"), printed);
        assertTrue(printed.contains("redis://user:***@host:6379/0"), printed);
    }

    @Test
    void browsersRulesForSameSiteNoneAndPartitionedAreEnforced() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> SessionConfig.builder()
                .set("SESSION_COOKIE_SAMESITE", "None").set("SESSION_COOKIE_PARTITIONED", "true").build());
        assertEquals(2, error.problems().size());
        assertTrue(error.problems().get(0).contains("unless SESSION_COOKIE_SECURE is true"));
        SessionConfig ok = SessionConfig.builder().set("SESSION_COOKIE_SAMESITE", "none").set("SESSION_COOKIE_SECURE", "yes").build();
        assertEquals("None", ok.cookie().sameSite());
    }

    @Test
    void cookieNameAndPathCannotInjectAttributes() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> SessionConfig.builder()
                .set("SESSION_COOKIE_NAME", "a=b").set("SESSION_COOKIE_PATH", "/; Domain=evil").set("SESSION_COOKIE_DOMAIN", "x;y").build());
        assertEquals(3, error.problems().size(), error.getMessage());
    }

    @Test
    void theIdHeaderIsTheNameConfigured() {
        assertEquals(Optional.of("X-Auth-Token"), SessionConfig.builder().set("SESSION_ID_HEADER", "X-Auth-Token").build().idHeader());
        assertEquals(Optional.empty(), SessionConfig.builder().build().idHeader());
    }

    @Test
    void clientsAreFoundByType() {
        StringBuilder client = new StringBuilder("a client");
        SessionConfig config = SessionConfig.builder().client(client).build();
        assertSame(client, config.client(CharSequence.class).orElseThrow());
        assertTrue(config.client(Integer.class).isEmpty());
    }

    @Test
    void anUnknownSerializationFormatListsTheInstalledOnes() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "memory").set("SESSION_SERIALIZATION_FORMAT", "msgpack").build();
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> SessionInterface.create(config));
        assertTrue(error.getMessage().contains("SESSION_SERIALIZATION_FORMAT was 'msgpack'"), error.getMessage());
        assertTrue(error.getMessage().contains("json (io.sessionkit.core.JsonSessionSerializer)"), error.getMessage());
    }
}
