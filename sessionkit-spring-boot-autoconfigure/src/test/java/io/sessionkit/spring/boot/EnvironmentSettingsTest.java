package io.sessionkit.spring.boot;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How the Spring Environment becomes SessionKit's keys, and which source wins. */
class EnvironmentSettingsTest {

    private static StandardEnvironment environment(Map<String, Object> applicationProperties, Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment.getPropertySources().addLast(new MapPropertySource("application", applicationProperties));
        return environment;
    }

    @Test
    @DisplayName("sessionkit.* properties in any of Spring's spellings become SESSION_* keys")
    void relaxedBinding() {
        Map<String, Object> settings = EnvironmentSettings.read(environment(Map.of(
                "sessionkit.type", "redis",
                "sessionkit.redis.url", "redis://cache:6379",
                "sessionkit.cookie.samesite", "Lax",
                "sessionkit.id.headerAndCookie", "true",
                "sessionkit.secret-key", "k",
                "sessionkit.permanent-session-lifetime", "PT1H",
                "sessionkit.enabled", "true"),
                Map.of("SESSIONKIT_KEY_PREFIX", "app:", "SESSIONKIT_MONGODB_URL", "mongodb://db")));

        assertEquals("redis", settings.get("SESSION_TYPE"));
        assertEquals("redis://cache:6379", settings.get("SESSION_REDIS"));
        assertEquals("Lax", settings.get("SESSION_COOKIE_SAMESITE"));
        assertEquals("true", settings.get("SESSION_ID_HEADER_AND_COOKIE"));
        assertEquals("k", settings.get("SECRET_KEY"));
        assertEquals("PT1H", settings.get("PERMANENT_SESSION_LIFETIME"));
        assertEquals("app:", settings.get("SESSION_KEY_PREFIX"));
        assertEquals("mongodb://db", settings.get("SESSION_MONGODB"));
        assertFalse(settings.containsKey("SESSION_ENABLED"));
        assertEquals(8, settings.size(), settings.toString());
    }

    @Test
    @DisplayName("a SESSION_* key set by name beats the sessionkit.* property, from whichever source")
    void sessionKeysWin() {
        Map<String, Object> settings = EnvironmentSettings.read(environment(
                Map.of("sessionkit.cookie.name", "from-property", "SESSION_KEY_PREFIX", "file:", "sessionkit.key-prefix", "prop:"),
                Map.of("SESSION_COOKIE_NAME", "from-variable")));

        assertEquals("from-variable", settings.get("SESSION_COOKIE_NAME"));
        assertEquals("file:", settings.get("SESSION_KEY_PREFIX"));
    }

    @Test
    @DisplayName("between sources of one key, Spring's order holds: the first property source wins")
    void springOrderAmongSources() {
        Map<String, Object> settings = EnvironmentSettings.read(environment(
                Map.of("SESSION_COOKIE_NAME", "from-application-properties"),
                Map.of("SESSION_COOKIE_NAME", "from-variable")));

        assertEquals("from-variable", settings.get("SESSION_COOKIE_NAME"));
    }

    @Test
    @DisplayName("unrelated properties are not SessionKit's")
    void unrelated() {
        Map<String, Object> settings = EnvironmentSettings.read(environment(
                Map.of("server.port", "8080", "sessionkitx.type", "redis", "SESSIONTYPE", "x"), Map.of()));
        assertEquals(Map.of(), settings);
    }
}
