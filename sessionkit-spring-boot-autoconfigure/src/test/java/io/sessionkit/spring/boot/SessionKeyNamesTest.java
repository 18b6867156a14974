package io.sessionkit.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.ConfigKeys;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IDE metadata that Boot's configuration processor generated, checked against SessionKit's keys. */
class SessionKeyNamesTest {

    private static Set<String> metadataKeys() throws Exception {
        try (InputStream json = SessionKeyNamesTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertNotNull(json, "META-INF/spring-configuration-metadata.json was not generated");
            Set<String> keys = new TreeSet<>();
            for (JsonNode property : new ObjectMapper().readTree(json).get("properties")) {
                String name = property.get("name").asText();
                assertTrue(name.startsWith("sessionkit."), name);
                assertTrue(property.hasNonNull("description"), name + " has no description");
                SessionKeyNames.keyFor(name.substring("sessionkit.".length())).ifPresent(keys::add);
            }
            return keys;
        }
    }

    @Test
    @DisplayName("the generated metadata names sessionkit.type, and every engine key of ConfigKeys has a property")
    void everyEngineKeyHasAProperty() throws Exception {
        Set<String> keys = metadataKeys();
        assertTrue(keys.contains("SESSION_TYPE"), keys.toString());
        for (Field field : ConfigKeys.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String key = (String) field.get(null);
                assertTrue(keys.contains(key), key + " has no sessionkit.* property in the metadata");
            }
        }
    }

    @Test
    @DisplayName("every property of the metadata maps to a key that SessionKit or one of its backends reads")
    void everyPropertyIsAKey() throws Exception {
        Set<String> backendKeys = Set.of("SESSION_FILE_DIR", "SESSION_FILE_MODE", "SESSION_FILE_THRESHOLD",
                "SESSION_REDIS", "SESSION_REDIS_SENTINELS", "SESSION_REDIS_SENTINEL_MASTER", "SESSION_REDIS_SENTINEL_PASSWORD",
                "SESSION_REDIS_SENTINEL_TLS", "SESSION_REDIS_CLUSTER", "SESSION_REDIS_TLS", "SESSION_REDIS_USERNAME",
                "SESSION_REDIS_PASSWORD", "SESSION_REDIS_CONNECT_TIMEOUT", "SESSION_REDIS_TIMEOUT", "SESSION_REDIS_POOL_SIZE",
                "SESSION_REDIS_EXPIRY_EVENTS", "SESSION_MEMCACHED", "SESSION_MEMCACHED_TIMEOUT", "SESSION_MEMCACHED_ITEM_SIZE_MAX",
                "SESSION_JDBC_URL", "SESSION_JDBC_USER", "SESSION_JDBC_PASSWORD", "SESSION_JDBC_POOL_SIZE", "SESSION_JDBC_TABLE",
                "SESSION_JDBC_CREATE_TABLE", "SESSION_JDBC_CLEANUP_INTERVAL", "SESSION_JDBC_TIMEOUT", "SESSION_MONGODB",
                "SESSION_MONGODB_DB", "SESSION_MONGODB_COLLECT", "SESSION_MONGODB_TIMEOUT", "SESSION_DYNAMODB_TABLE",
                "SESSION_DYNAMODB_REGION", "SESSION_DYNAMODB_ENDPOINT_URL", "SESSION_DYNAMODB_KEY_ID", "SESSION_DYNAMODB_SECRET",
                "SESSION_DYNAMODB_CREATE_TABLE", "SESSION_DYNAMODB_TABLE_EXISTS", "SESSION_DYNAMODB_TIMEOUT");
        Set<String> known = new TreeSet<>(backendKeys);
        for (Field field : ConfigKeys.class.getFields()) {
            known.add((String) field.get(null));
        }
        Set<String> unknown = new TreeSet<>(metadataKeys());
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown);
        assertTrue(metadataKeys().containsAll(backendKeys));
    }

    @Test
    @DisplayName("the starter's own switches are not passed to SessionKit")
    void starterProperties() {
        assertTrue(SessionKeyNames.keyFor("enabled").isEmpty());
        assertTrue(SessionKeyNames.keyFor("spring-security.enabled").isEmpty());
        assertTrue(SessionKeyNames.keyFor("metrics.enabled").isEmpty());
        assertEquals("SESSION_PRINCIPAL_KEY", SessionKeyNames.keyFor("principal-key").orElseThrow());
        assertEquals("SESSION_ID_HEADER_AND_COOKIE", SessionKeyNames.keyFor("id.headerAndCookie").orElseThrow());
        assertEquals("SESSION_ID_HEADER_AND_COOKIE", SessionKeyNames.keyFor("id.header-and-cookie").orElseThrow());
        assertEquals("SESSION_COOKIE_SAMESITE", SessionKeyNames.keyFor("COOKIE_SAMESITE").orElseThrow());
        assertEquals("SESSION_REDIS", SessionKeyNames.keyFor("redis.url").orElseThrow());
        assertEquals("SESSION_ACME_QUEUE_DEPTH", SessionKeyNames.keyFor("acme.queue-depth").orElseThrow());
    }
}
