package io.sessionkit.redis;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.HostPort;
import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
        assertEquals(List.of(new HostPort("10.0.0.1", 26379), new HostPort("10.0.0.2", 26379)), sentinel.sentinels());
        assertEquals("sentinel-pw", sentinel.sentinelPassword());
        assertEquals("data-pw", sentinel.credentials().password());
        assertFalse(settings.describe().contains("pw"));
    }

    @Test
    @DisplayName("Cluster: the seed nodes are read")
    void cluster() {
        RedisSettings settings = read(Map.of("SESSION_REDIS_CLUSTER", "10.0.0.1:7000,10.0.0.2:7001"));
        RedisTopology.Cluster cluster = assertInstanceOf(RedisTopology.Cluster.class, settings.topology());
        assertEquals(List.of(new HostPort("10.0.0.1", 7000), new HostPort("10.0.0.2", 7001)), cluster.seeds());
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
        assertTrue(e.getMessage().contains("SESSION_REDIS_TIMEOUT was 'soon' but it must be a duration of at least"
                + " PT0.001S and at most PT596H31M23.647S in seconds (3600) or ISO-8601"), e.getMessage());
    }

    @Test
    @DisplayName("a sub-millisecond timeout is rejected, since Jedis would read it as no timeout")
    void subMillisecondTimeout() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS_CONNECT_TIMEOUT", Duration.ofNanos(10)));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("SESSION_REDIS_CONNECT_TIMEOUT was 'PT0.00000001S' but it must be"
                + " a duration of at least PT0.001S"), e.getMessage());
    }

    @Test
    @DisplayName("a timeout longer than Jedis' int of milliseconds is rejected instead of overflowing")
    void overlongTimeout() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS_TIMEOUT", "P25D"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("SESSION_REDIS_TIMEOUT was 'P25D' but it must be"), e.getMessage());
        assertTrue(e.problems().get(0).contains("at most PT596H31M23.647S"), e.getMessage());
        assertEquals(Duration.ofMillis(Integer.MAX_VALUE),
                read(Map.of("SESSION_REDIS_TIMEOUT", Duration.ofMillis(Integer.MAX_VALUE))).timeout());
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
    @Test
    @DisplayName("Sentinel's own password with one server or a Cluster is rejected: it would be ignored")
    void sentinelPasswordOutsideSentinel() {
        SessionConfigException url = failure(Map.of("SESSION_REDIS", "redis://127.0.0.1:6379",
                "SESSION_REDIS_SENTINEL_PASSWORD", "sentinel-pw"));
        assertEquals(List.of("SESSION_REDIS_SENTINEL_PASSWORD is set but it is only used with SESSION_REDIS_SENTINELS,"
                + " not with one server (SESSION_REDIS); the server's password belongs in SESSION_REDIS as"
                + " redis://:password@host:port"), url.problems());
        SessionConfigException cluster = failure(Map.of("SESSION_REDIS_CLUSTER", "127.0.0.1:7000",
                "SESSION_REDIS_SENTINEL_PASSWORD", "sentinel-pw"));
        assertEquals(List.of("SESSION_REDIS_SENTINEL_PASSWORD is set but it is only used with SESSION_REDIS_SENTINELS,"
                + " not with a Cluster (SESSION_REDIS_CLUSTER); the nodes' password belongs in SESSION_REDIS_PASSWORD"),
                cluster.problems());
        assertFalse(url.getMessage().contains("sentinel-pw") || cluster.getMessage().contains("sentinel-pw"));
    }

    @Test
    @DisplayName("a node listed twice is rejected naming the key and the node")
    void duplicateNode() {
        SessionConfigException e = failure(Map.of("SESSION_REDIS_CLUSTER", "127.0.0.1:7000,127.0.0.1:7000"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("SESSION_REDIS_CLUSTER was '127.0.0.1:7000,127.0.0.1:7000'"),
                e.getMessage());
        assertTrue(e.problems().get(0).contains("127.0.0.1:7000 is listed twice"), e.getMessage());
    }

    @Test
    @DisplayName("every key that applies to a way of reaching Redis is read, so none is reported as unknown")
    void everyApplicableKeyIsRead() {
        Map<String, String> common = Map.of("SESSION_REDIS_CONNECT_TIMEOUT", "1", "SESSION_REDIS_TIMEOUT", "1",
                "SESSION_REDIS_POOL_SIZE", "4");
        List<Map<String, String>> topologies = List.of(
                Map.of("SESSION_REDIS", "redis://127.0.0.1:6379", "SESSION_REDIS_TLS", "false"),
                Map.of("SESSION_REDIS_SENTINELS", "127.0.0.1:26379", "SESSION_REDIS_SENTINEL_MASTER", "mymaster",
                        "SESSION_REDIS_SENTINEL_PASSWORD", "s-pw", "SESSION_REDIS_USERNAME", "app",
                        "SESSION_REDIS_PASSWORD", "pw", "SESSION_REDIS_TLS", "true", "SESSION_REDIS_SENTINEL_TLS", "false"),
                Map.of("SESSION_REDIS_CLUSTER", "127.0.0.1:7000", "SESSION_REDIS_USERNAME", "app",
                        "SESSION_REDIS_PASSWORD", "pw", "SESSION_REDIS_TLS", "true"));
        for (Map<String, String> topology : topologies) {
            SessionConfig config = SessionConfig.builder().fromMap(common).fromMap(topology).build();
            RedisSettings.read(config);
            assertEquals(Map.of(), config.unreadKeys(), "unread with " + topology.keySet());
        }
    }

    @Test
    @DisplayName("with one server, building the backend reads every key set, without connecting")
    void providerReadsEveryKey() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", "redis://127.0.0.1:1").set("SESSION_REDIS_CONNECT_TIMEOUT", "PT0.1S")
                .set("SESSION_REDIS_TIMEOUT", "PT0.1S").set("SESSION_REDIS_POOL_SIZE", "2").build();
        BackendRegistry.load().create(config).close();
        assertEquals(Map.of(), config.unreadKeys());
    }

    @Test
    @DisplayName("keys of two ways to reach Redis at once are all read, and only the contradiction is reported")
    void contradictionStillReadsEveryKey() {
        SessionConfig config = SessionConfig.builder().fromMap(Map.of("SESSION_REDIS", "redis://127.0.0.1:6379",
                "SESSION_REDIS_CLUSTER", "127.0.0.1:7000", "SESSION_REDIS_SENTINEL_PASSWORD", "s-pw",
                "SESSION_REDIS_USERNAME", "app", "SESSION_REDIS_PASSWORD", "pw", "SESSION_REDIS_TLS", "true",
                "SESSION_REDIS_SENTINEL_TLS", "true")).build();
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> RedisSettings.read(config));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(Map.of(), config.unreadKeys());
    }

    @Test
    @DisplayName("a client handed in with a key that says how to connect is a configuration error naming both")
    void handedInClientWithConnectionKey() {
        try (JedisPooled client = new JedisPooled("127.0.0.1", 1)) {
            for (String key : RedisSettings.CONNECTION_KEYS) {
                SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "redis")
                        .set(key, "127.0.0.1:6379").client(client).build();
                SessionConfigException e = assertThrows(SessionConfigException.class,
                        () -> BackendRegistry.load().create(config));
                assertEquals(List.of(key + " is set but a redis.clients.jedis.JedisPooled was also handed in from code;"
                        + " only one of them can say how to connect: remove " + key + " or do not hand in the client"),
                        e.problems());
                assertEquals(Map.of(), config.unreadKeys());
            }
        }
    }

    @Test
    @DisplayName("a client handed in with timeouts or a pool size is a configuration error: the client has its own")
    void handedInClientWithClientKeys() {
        try (JedisPooled client = new JedisPooled("127.0.0.1", 1)) {
            SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "redis")
                    .set("SESSION_REDIS_CONNECT_TIMEOUT", "1").set("SESSION_REDIS_TIMEOUT", "1")
                    .set("SESSION_REDIS_POOL_SIZE", "8").client(client).build();
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> BackendRegistry.load().create(config));
            assertEquals(3, e.problems().size(), e.getMessage());
            for (String key : RedisSettings.CLIENT_KEYS) {
                assertTrue(e.problems().contains(key + " is set but a redis.clients.jedis.JedisPooled was also handed in"
                        + " from code, and its timeouts and pool are the ones it was built with: remove " + key
                        + " or build the client with that setting"), e.getMessage());
            }
            assertEquals(Map.of(), config.unreadKeys());
        }
    }

    @Test
    @DisplayName("a client handed in alone is taken as it is")
    void handedInClientAlone() {
        try (JedisPooled client = new JedisPooled("127.0.0.1", 1)) {
            RedisSettings settings = RedisSettings.read(SessionConfig.builder().client(client).build());
            assertSame(client, settings.handedIn().orElseThrow());
        }
    }

    @Test
    @DisplayName("Sentinel: SESSION_REDIS_TLS covers the master, and the Sentinels unless SESSION_REDIS_SENTINEL_TLS says otherwise")
    void sentinelTls() {
        Map<String, String> sentinel = Map.of("SESSION_REDIS_SENTINELS", "10.0.0.1:26379",
                "SESSION_REDIS_SENTINEL_MASTER", "mymaster");
        record Expected(Map<String, String> keys, boolean master, boolean sentinels) { }
        List<Expected> cases = List.of(
                new Expected(Map.of(), false, false),
                new Expected(Map.of("SESSION_REDIS_TLS", "true"), true, true),
                new Expected(Map.of("SESSION_REDIS_TLS", "yes", "SESSION_REDIS_SENTINEL_TLS", "no"), true, false),
                new Expected(Map.of("SESSION_REDIS_SENTINEL_TLS", "true"), false, true),
                new Expected(Map.of("SESSION_REDIS_TLS", "false", "SESSION_REDIS_SENTINEL_TLS", "false"), false, false));
        for (Expected expected : cases) {
            SessionConfig config = SessionConfig.builder().fromMap(sentinel).fromMap(expected.keys()).build();
            RedisTopology.Sentinel topology = (RedisTopology.Sentinel) RedisSettings.read(config).topology();
            assertEquals(expected.master(), topology.tls(), "master with " + expected.keys());
            assertEquals(expected.sentinels(), topology.sentinelTls(), "Sentinels with " + expected.keys());
        }
        assertEquals("Sentinel master 'mymaster' via 10.0.0.1:26379 (Sentinels in plain text,"
                + " SESSION_REDIS_SENTINEL_TLS=false, master over TLS, SESSION_REDIS_TLS=true)",
                read(Map.of("SESSION_REDIS_SENTINELS", "10.0.0.1:26379", "SESSION_REDIS_SENTINEL_MASTER", "mymaster",
                        "SESSION_REDIS_TLS", "true", "SESSION_REDIS_SENTINEL_TLS", "false")).describe());
    }

    @Test
    @DisplayName("Cluster: SESSION_REDIS_TLS covers every node, plain text by default")
    void clusterTls() {
        RedisSettings tls = read(Map.of("SESSION_REDIS_CLUSTER", "10.0.0.1:7000", "SESSION_REDIS_TLS", "true"));
        assertTrue(((RedisTopology.Cluster) tls.topology()).tls());
        assertEquals("Cluster via 10.0.0.1:7000 (over TLS, SESSION_REDIS_TLS=true)", tls.describe());
        RedisSettings plain = read(Map.of("SESSION_REDIS_CLUSTER", "10.0.0.1:7000"));
        assertFalse(((RedisTopology.Cluster) plain.topology()).tls());
        assertEquals("Cluster via 10.0.0.1:7000 (in plain text, SESSION_REDIS_TLS=false)", plain.describe());
    }

    @Test
    @DisplayName("one server: SESSION_REDIS_TLS may repeat what the URL's scheme says")
    void standaloneTlsAgreeing() {
        assertTrue(((RedisTopology.Standalone) read(Map.of("SESSION_REDIS", "rediss://cache:6380",
                "SESSION_REDIS_TLS", "true")).topology()).url().tls());
        assertFalse(((RedisTopology.Standalone) read(Map.of("SESSION_REDIS", "redis://cache:6379",
                "SESSION_REDIS_TLS", "false")).topology()).url().tls());
        assertFalse(((RedisTopology.Standalone) read(Map.of("SESSION_REDIS_TLS", "false")).topology()).url().tls());
    }

    @Test
    @DisplayName("one server: SESSION_REDIS_TLS contradicting the URL's scheme is rejected naming both keys")
    void standaloneTlsContradictingUrl() {
        assertEquals(List.of("SESSION_REDIS_TLS is false but SESSION_REDIS is a rediss:// URL, which means TLS; with one"
                        + " server the URL's scheme says whether to use TLS: write redis:// for plain text, or remove"
                        + " SESSION_REDIS_TLS"),
                failure(Map.of("SESSION_REDIS", "rediss://:secret@cache:6380", "SESSION_REDIS_TLS", "false")).problems());
        assertEquals(List.of("SESSION_REDIS_TLS is true but SESSION_REDIS is a redis:// URL, which means plain text; with"
                        + " one server the URL's scheme says whether to use TLS: write rediss:// for TLS, or remove"
                        + " SESSION_REDIS_TLS"),
                failure(Map.of("SESSION_REDIS", "redis://cache:6379", "SESSION_REDIS_TLS", "on")).problems());
    }

    @Test
    @DisplayName("SESSION_REDIS_TLS=true with no server configured is rejected: there is nothing to speak TLS to")
    void tlsWithoutServer() {
        assertEquals(List.of("SESSION_REDIS_TLS is true but none of SESSION_REDIS, SESSION_REDIS_SENTINELS or"
                        + " SESSION_REDIS_CLUSTER is set, so there is no server to speak TLS to (the default SESSION_REDIS,"
                        + " redis://127.0.0.1:6379, is plain text); for TLS to one server set"
                        + " SESSION_REDIS=rediss://host:port"),
                failure(Map.of("SESSION_REDIS_TLS", "true")).problems());
    }

    @Test
    @DisplayName("SESSION_REDIS_SENTINEL_TLS with one server or a Cluster is rejected: there are no Sentinels")
    void sentinelTlsOutsideSentinel() {
        assertEquals(List.of("SESSION_REDIS_SENTINEL_TLS is set but it is only used with SESSION_REDIS_SENTINELS, not"
                        + " with one server (SESSION_REDIS); TLS to one server is chosen with rediss:// in SESSION_REDIS"),
                failure(Map.of("SESSION_REDIS", "rediss://cache:6380", "SESSION_REDIS_SENTINEL_TLS", "true")).problems());
        assertEquals(List.of("SESSION_REDIS_SENTINEL_TLS is set but it is only used with SESSION_REDIS_SENTINELS, not"
                        + " with a Cluster (SESSION_REDIS_CLUSTER); TLS to the nodes is chosen with SESSION_REDIS_TLS"),
                failure(Map.of("SESSION_REDIS_CLUSTER", "127.0.0.1:7000", "SESSION_REDIS_SENTINEL_TLS", "false")).problems());
    }

    @Test
    @DisplayName("a TLS key that is not a boolean is rejected once, naming the key and the value")
    void tlsNotBoolean() {
        List<Map<String, String>> topologies = List.of(
                Map.of("SESSION_REDIS", "rediss://cache:6380"),
                Map.of("SESSION_REDIS", "redis://"),
                Map.of("SESSION_REDIS_CLUSTER", "127.0.0.1:7000"),
                Map.of("SESSION_REDIS_SENTINELS", "127.0.0.1:26379", "SESSION_REDIS_SENTINEL_MASTER", "mymaster"));
        for (Map<String, String> topology : topologies) {
            SessionConfig config = SessionConfig.builder().fromMap(topology).set("SESSION_REDIS_TLS", "maybe").build();
            SessionConfigException e = assertThrows(SessionConfigException.class, () -> RedisSettings.read(config));
            long about = e.problems().stream().filter(problem -> problem.contains("SESSION_REDIS_TLS")).count();
            assertEquals(1, about, e.getMessage());
            assertTrue(e.getMessage().contains("SESSION_REDIS_TLS was 'maybe' but it must be true or false"), e.getMessage());
        }
        SessionConfigException sentinel = failure(Map.of("SESSION_REDIS_SENTINELS", "127.0.0.1:26379",
                "SESSION_REDIS_SENTINEL_MASTER", "mymaster", "SESSION_REDIS_SENTINEL_TLS", "tls"));
        assertEquals(List.of("SESSION_REDIS_SENTINEL_TLS was 'tls' but it must be true or false"), sentinel.problems());
    }
}
