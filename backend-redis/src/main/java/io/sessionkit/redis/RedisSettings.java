package io.sessionkit.redis;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.HostPort;
import io.sessionkit.core.SessionConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code SESSION_REDIS*} keys, read and checked together: every bad value is reported in
 * one {@link io.sessionkit.SessionConfigException}. Every key is read whatever the others say,
 * and a key that does not apply to the way Redis is reached is a problem, not ignored.
 *
 * @param handedIn       the client handed in from code, if any; the other fields then hold
 *                       their defaults and are not used
 * @param topology       where the sessions live; {@code null} when a client was handed in
 * @param connectTimeout {@code SESSION_REDIS_CONNECT_TIMEOUT}: how long opening a connection may take
 * @param timeout        {@code SESSION_REDIS_TIMEOUT}: how long a command may wait for its answer,
 *                       and for a free pooled connection
 * @param poolSize       {@code SESSION_REDIS_POOL_SIZE}: most connections open at once (per node
 *                       in a Cluster)
 * @param expiryEvents   {@code SESSION_REDIS_EXPIRY_EVENTS}: whether to tell expired sessions from
 *                       the server's keyspace notifications
 */
record RedisSettings(Optional<UnifiedJedis> handedIn, RedisTopology topology, Duration connectTimeout,
                     Duration timeout, int poolSize, boolean expiryEvents) {

    static final String URL = "SESSION_REDIS";
    static final String SENTINELS = "SESSION_REDIS_SENTINELS";
    static final String SENTINEL_MASTER = "SESSION_REDIS_SENTINEL_MASTER";
    static final String SENTINEL_PASSWORD = "SESSION_REDIS_SENTINEL_PASSWORD";
    static final String CLUSTER = "SESSION_REDIS_CLUSTER";
    static final String SENTINEL_TLS = "SESSION_REDIS_SENTINEL_TLS";
    static final String TLS = "SESSION_REDIS_TLS";
    static final String USERNAME = "SESSION_REDIS_USERNAME";
    static final String PASSWORD = "SESSION_REDIS_PASSWORD";
    static final String CONNECT_TIMEOUT = "SESSION_REDIS_CONNECT_TIMEOUT";
    static final String TIMEOUT = "SESSION_REDIS_TIMEOUT";
    static final String POOL_SIZE = "SESSION_REDIS_POOL_SIZE";
    static final String EXPIRY_EVENTS = "SESSION_REDIS_EXPIRY_EVENTS";

    /** The keys that say where Redis is, whether to speak TLS to it and how to log in. */
    static final List<String> CONNECTION_KEYS = List.of(URL, SENTINELS, SENTINEL_MASTER, SENTINEL_PASSWORD,
            SENTINEL_TLS, CLUSTER, TLS, USERNAME, PASSWORD);
    /** The keys that shape the client SessionKit builds; a client handed in was shaped by the application. */
    static final List<String> CLIENT_KEYS = List.of(CONNECT_TIMEOUT, TIMEOUT, POOL_SIZE);

    static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final int DEFAULT_POOL_SIZE = 16;

    /** Jedis reads 0 ms as "wait forever", so a sub-millisecond value must not round down to it. */
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);
    /** Jedis takes timeouts as an int of milliseconds. */
    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /**
     * Reads the keys.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.sessionkit.SessionConfigException listing every bad or contradictory value
     */
    static RedisSettings read(SessionConfig config) {
        ConfigReader reader = config.reader();
        Optional<UnifiedJedis> handedIn = reader.client(UnifiedJedis.class, CONNECTION_KEYS.toArray(String[]::new));
        if (handedIn.isPresent()) {
            String client = handedIn.get().getClass().getName();
            for (String key : CLIENT_KEYS) {
                if (reader.optionalString(key).isPresent()) {
                    reader.problem(key + " is set but a " + client + " was also handed in from code, and its timeouts"
                            + " and pool are the ones it was built with: remove " + key
                            + " or build the client with that setting");
                }
            }
            boolean expiryEvents = readExpiryEvents(reader, handedIn.get() instanceof JedisCluster);
            reader.validate();
            return new RedisSettings(handedIn, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_POOL_SIZE, expiryEvents);
        }
        RedisTopology topology = readTopology(reader);
        Duration connectTimeout = reader.duration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, SHORTEST_TIMEOUT, LONGEST_TIMEOUT);
        Duration timeout = reader.duration(TIMEOUT, DEFAULT_TIMEOUT, SHORTEST_TIMEOUT, LONGEST_TIMEOUT);
        int poolSize = reader.integer(POOL_SIZE, DEFAULT_POOL_SIZE, 1, 10_000);
        boolean expiryEvents = readExpiryEvents(reader, topology instanceof RedisTopology.Cluster);
        reader.validate();
        return new RedisSettings(Optional.empty(), topology, connectTimeout, timeout, poolSize, expiryEvents);
    }

    private static boolean readExpiryEvents(ConfigReader reader, boolean cluster) {
        boolean expiryEvents = reader.bool(EXPIRY_EVENTS, false);
        if (expiryEvents && cluster) {
            reader.problem(EXPIRY_EVENTS + " is true but the sessions are on a Cluster, whose nodes each announce only their"
                    + " own keys' expiries: turn " + EXPIRY_EVENTS + " off, or use one server or Sentinel");
            return false;
        }
        return expiryEvents;
    }

    private static RedisTopology readTopology(ConfigReader reader) {
        boolean url = reader.optionalString(URL).isPresent();
        boolean sentinel = reader.optionalString(SENTINELS).isPresent()
                || reader.optionalString(SENTINEL_MASTER).isPresent();
        boolean cluster = reader.optionalString(CLUSTER).isPresent();
        List<String> modes = new ArrayList<>();
        if (url) {
            modes.add(URL);
        }
        if (sentinel) {
            modes.add(SENTINELS + "/" + SENTINEL_MASTER);
        }
        if (cluster) {
            modes.add(CLUSTER);
        }
        if (modes.size() > 1) {
            reader.problem(String.join(" and ", modes) + (modes.size() == 2 ? " are both" : " are all") + " set, but only one way to reach Redis may be"
                    + " chosen: " + URL + " (one server), " + SENTINELS + " with " + SENTINEL_MASTER
                    + " (Sentinel) or " + CLUSTER + " (Cluster); unset the others");
            // Read so that the start-up check does not also call them unknown.
            List.of(SENTINEL_PASSWORD, SENTINEL_TLS, TLS, USERNAME, PASSWORD).forEach(reader::optionalString);
            return null;
        }
        if (sentinel) {
            return readSentinel(reader);
        }
        onlyWithSentinel(reader, cluster ? CLUSTER : URL);
        if (cluster) {
            return new RedisTopology.Cluster(reader.hostPorts(CLUSTER, List.of()), readCredentials(reader, CLUSTER),
                    reader.bool(TLS, false));
        }
        return readStandalone(reader);
    }

    private static RedisTopology readStandalone(ConfigReader reader) {
        for (String key : List.of(USERNAME, PASSWORD)) {
            if (reader.optionalString(key).isPresent()) {
                reader.problem(key + " is set but it is only used with " + SENTINELS + " or " + CLUSTER
                        + "; put the credentials of a single server in " + URL
                        + " as redis://user:password@host:port");
            }
        }
        boolean urlSet = reader.optionalString(URL).isPresent();
        String text = reader.string(URL, DEFAULT_URL);
        try {
            RedisUrl url = RedisUrl.parse(text);
            checkTlsAgrees(reader, url, urlSet);
            return new RedisTopology.Standalone(url);
        } catch (IllegalArgumentException e) {
            // Whether it agrees cannot be told without a URL, but a value that is no boolean can.
            reader.bool(TLS, false);
            reader.invalid(URL, ConfigReader.mask(text),
                    "a URL such as redis://[user:password@]host:port[/db] or rediss://... for TLS: "
                            + e.getMessage());
            return null;
        }
    }

    /**
     * With one server the URL's scheme says whether to speak TLS; {@code SESSION_REDIS_TLS} may
     * repeat it, for configurations shared with Sentinel or Cluster set-ups, but not contradict it.
     */
    private static void checkTlsAgrees(ConfigReader reader, RedisUrl url, boolean urlSet) {
        // An invalid value is reported by bool() and then reads as agreeing, so it is not reported twice.
        boolean tls = reader.bool(TLS, url.tls());
        if (reader.optionalString(TLS).isEmpty() || tls == url.tls()) {
            return;
        }
        if (!urlSet) {
            reader.problem(TLS + " is true but none of " + URL + ", " + SENTINELS + " or " + CLUSTER
                    + " is set, so there is no server to speak TLS to (the default " + URL + ", " + DEFAULT_URL
                    + ", is plain text); for TLS to one server set " + URL + "=rediss://host:port");
        } else if (tls) {
            reader.problem(TLS + " is true but " + URL + " is a redis:// URL, which means plain text; with one"
                    + " server the URL's scheme says whether to use TLS: write rediss:// for TLS, or remove " + TLS);
        } else {
            reader.problem(TLS + " is false but " + URL + " is a rediss:// URL, which means TLS; with one server"
                    + " the URL's scheme says whether to use TLS: write redis:// for plain text, or remove " + TLS);
        }
    }

    private static RedisTopology readSentinel(ConfigReader reader) {
        List<HostPort> sentinels = reader.hostPorts(SENTINELS, List.of());
        if (reader.optionalString(SENTINELS).isEmpty()) {
            reader.required(SENTINELS, "when " + SENTINEL_MASTER + " is set (host:port of each Sentinel)");
        }
        String master = reader.required(SENTINEL_MASTER, "when " + SENTINELS
                + " is set (the name of the master the Sentinels monitor, such as mymaster)");
        String sentinelPassword = reader.optionalString(SENTINEL_PASSWORD).orElse(null);
        boolean tls = reader.bool(TLS, false);
        // Sentinels usually speak what the data nodes speak; SENTINEL_TLS is for set-ups where they differ.
        boolean sentinelTls = reader.bool(SENTINEL_TLS, tls);
        return new RedisTopology.Sentinel(master, sentinels, sentinelPassword, readCredentials(reader, SENTINELS),
                tls, sentinelTls);
    }

    private static void onlyWithSentinel(ConfigReader reader, String modeKey) {
        boolean url = modeKey.equals(URL);
        String mode = url ? "one server (" + URL + ")" : "a Cluster (" + CLUSTER + ")";
        if (reader.optionalString(SENTINEL_PASSWORD).isPresent()) {
            String instead = url ? "the server's password belongs in " + URL + " as redis://:password@host:port"
                    : "the nodes' password belongs in " + PASSWORD;
            reader.problem(SENTINEL_PASSWORD + " is set but it is only used with " + SENTINELS + ", not with "
                    + mode + "; " + instead);
        }
        if (reader.optionalString(SENTINEL_TLS).isPresent()) {
            String instead = url ? "TLS to one server is chosen with rediss:// in " + URL
                    : "TLS to the nodes is chosen with " + TLS;
            reader.problem(SENTINEL_TLS + " is set but it is only used with " + SENTINELS + ", not with "
                    + mode + "; " + instead);
        }
    }

    private static RedisTopology.Credentials readCredentials(ConfigReader reader, String modeKey) {
        Optional<String> user = reader.optionalString(USERNAME);
        Optional<String> password = reader.optionalString(PASSWORD);
        if (user.isPresent() && password.isEmpty()) {
            reader.required(PASSWORD, "when " + USERNAME + " is set with " + modeKey);
        }
        return new RedisTopology.Credentials(user.orElse(null), password.orElse(null));
    }

    /**
     * @return where sessions live, without passwords, for messages
     */
    String describe() {
        return topology.toString();
    }
}
