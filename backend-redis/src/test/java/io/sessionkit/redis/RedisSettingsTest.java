package io.sessionkit.redis;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading the {@code SESSION_REDIS*} keys: defaults, the three ways to reach Redis, and
 * messages for bad values that name the key and value without any password.
 */
class RedisSettingsTest {

    private static RedisSettings read(Map<String, ?> values) {
        return RedisSettings.read(SessionConfig.builder().fromMap(values).build());
    }

    private static SessionConfigException failure(Map<String, ?> values) {
        return assertThrows(SessionConfigException.class, () -> read(values));
    }

    @Test
    @DisplayName("with nothing set: redis://127.0.0.1:6379, database 0, 2 s timeouts, 16 connections")
    void defaults() {
        RedisSettings settings = read(Map.of());
        RedisUrl url = assertInstanceOf(RedisTopology.Standalone.class, settings.topology()).url();
        assertEquals(new RedisUrl("127.0.0.1", 6379, null, null, 0, false), url);
        assertEquals(Duration.ofSeconds(2), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(2), settings.timeout());
        assertEquals(16, settings.poolSize());
    }

    @Test
    @DisplayName("a URL with user, password and database is read whole; rediss means TLS")
    void fullUrl() {
        RedisSettings settings = read(Map.of("SESSION_REDIS", "rediss://app:p%40ss@cache.internal:6380/3",
                "SESSION_REDIS_CONNECT_TIMEOUT", "PT0.25S", "SESSION_REDIS_TIMEOUT", "5",
                "SESSION_REDIS_POOL_SIZE", "64"));
        RedisUrl url = ((RedisTopology.Standalone) settings.topology()).url();
        assertEquals(new RedisUrl("cache.internal", 6380, "app", "p@ss", 3, true), url);
        assertEquals(Duration.ofMillis(250), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(5), settings.timeout());
        assertEquals(64, settings.poolSize());
        assertEquals("rediss://app:***@cache.internal:6380/3", settings.describe());
    }

    @Test
    @DisplayName("a password-only URL (redis://:secret@host) has no user")
    void passwordOnlyUrl() {
        RedisUrl url = RedisUrl.parse("redis://:secret@localhost");
        assertNull(url.user());
        assertEquals("secret", url.password());
        assertEquals(6379, url.port());
        assertEquals("redis://:***@localhost:6379/0", url.toString());
    }

    @Test
    @DisplayName("Sentinel: the sentinels, the master's name and the passwords are read")
    void sentinel() {
        RedisSettings settings = read(Map.of("SESSION_REDIS_SENTINELS", "10.0.0.1:26379, 10.0.0.2:26379",
                "SESSION_REDIS_SENTINEL_MASTER", "mymaster", "SESSION_REDIS_SENTINEL_PASSWORD", "sentinel-pw",
                "SESSION_REDIS_PASSWORD", "data-pw"));
        RedisTopology.Sentinel sentinel = assertInstanceOf(RedisTopology.Sentinel.class, settings.topology());
        assertEquals("mymaster", sentinel.masterName());
        assertEquals(List.of(new HostAndPort("10.0.0.1", 26379), new HostAndPort("10.0.0.2", 26379)), sentinel.sentinels());
        assertEquals("sentinel-pw", sentinel.sentinelPassword());
        assertEquals("data-pw", sentinel.credentials().password());
        assertFalse(settings.describe().contains("pw"));
    }

    @Test
    @DisplayName("Cluster: the seed nodes are read")
    void cluster() {
        RedisSettings settings = read(Map.of("SESSION_REDIS_CLUSTER", "10.0.0.1:7000,10.0.0.2:7001"));
        RedisTopology.Cluster cluster = assertInstanceOf(RedisTopology.Cluster.class, settings.topology());
        assertEquals(List.of(new HostAndPort("10.0.0.1", 7000), new HostAndPort("10.0.0.2", 7001)), cluster.seeds());
    }

    @Test
    @DisplayName("a URL of another scheme is rejected naming the key and the value")
    void badScheme() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS", "http://127.0.0.1:6379"));
        assertEquals(1, e.problems().size());
        String problem = e.problems().get(0);
        assertTrue(problem.startsWith("SESSION_REDIS was 'http://127.0.0.1:6379' but it must be a URL"), problem);
        assertTrue(problem.contains("redis:// or rediss://"), problem);
    }

    @Test
    @DisplayName("a bad URL's password is masked in the message")
    void badUrlPasswordMasked() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS", "redis://admin:hunter2@cache:99999"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("'redis://admin:***@cache:99999'"), e.getMessage());
        // Also when the password holds a character that stops URL parsing.
        SessionConfigException odd = failure(Map.of("SESSION_REDIS", "redis://admin:hun/ter2@cache"));
        assertFalse(odd.getMessage().contains("ter2"), odd.getMessage());
    }

    @Test
    @DisplayName("a URL whose path is not a database number is rejected")
    void badDatabase() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS", "redis://127.0.0.1:6379/sessions"));
        assertTrue(e.getMessage().contains("database number"), e.getMessage());
    }

    @Test
    @DisplayName("two ways to reach Redis at once are rejected naming both keys")
    void twoModes() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS", "redis://127.0.0.1:6379",
                "SESSION_REDIS_CLUSTER", "127.0.0.1:7000"));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("SESSION_REDIS and SESSION_REDIS_CLUSTER are both set"), e.getMessage());

        SessionConfigException three = failure(Map.of("SESSION_REDIS", "redis://127.0.0.1:6379",
                "SESSION_REDIS_SENTINELS", "127.0.0.1:26379", "SESSION_REDIS_CLUSTER", "127.0.0.1:7000"));
        assertTrue(three.getMessage().contains("SESSION_REDIS and SESSION_REDIS_SENTINELS/SESSION_REDIS_SENTINEL_MASTER"
                + " and SESSION_REDIS_CLUSTER are all set"), three.getMessage());
    }

    @Test
    @DisplayName("a timeout that is not a duration is rejected naming the key and the value")
    void badTimeout() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS_TIMEOUT", "soon"));
        assertTrue(e.getMessage().contains("SESSION_REDIS_TIMEOUT was 'soon' but it must be a positive duration"),
                e.getMessage());
    }

    @Test
    @DisplayName("a sub-millisecond timeout is rejected, since Jedis would read it as no timeout")
    void subMillisecondTimeout() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS_CONNECT_TIMEOUT", Duration.ofNanos(10)));
        assertTrue(e.getMessage().contains("SESSION_REDIS_CONNECT_TIMEOUT"), e.getMessage());
        assertTrue(e.getMessage().contains("from 1 millisecond"), e.getMessage());
    }

    @Test
    @DisplayName("every bad value is reported at once")
    void allProblemsTogether() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS", "redis://", "SESSION_REDIS_TIMEOUT", "-1",
                "SESSION_REDIS_POOL_SIZE", "0"));
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @Test
    @DisplayName("Sentinel needs the master's name, and nodes must be host:port")
    void sentinelIncomplete() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS_SENTINELS", "127.0.0.1"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("SESSION_REDIS_SENTINELS was '127.0.0.1'"), e.getMessage());
        assertTrue(e.getMessage().contains("SESSION_REDIS_SENTINEL_MASTER is not set but it is required"), e.getMessage());
    }

    @Test
    @DisplayName("credentials keys with a URL are rejected: the URL carries its own")
    void credentialsKeysWithUrl() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS_PASSWORD", "pw"));
        assertTrue(e.getMessage().contains("SESSION_REDIS_PASSWORD is set but it is only used with"), e.getMessage());
        assertFalse(e.getMessage().contains("'pw'"), e.getMessage());
    }

    @Test
    @DisplayName("the provider reports bad settings as a configuration error, before connecting")
    void providerReportsConfigErrors() {
        SessionConfig config = SessionConfig.builder()
                .set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", "redis://u:topsecret@127.0.0.1:6379/x")
                .build();
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> BackendRegistry.load().create(config));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertTrue(e.getMessage().contains("SESSION_REDIS"), e.getMessage());
    }
}
