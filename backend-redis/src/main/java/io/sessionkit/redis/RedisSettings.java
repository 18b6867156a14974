package io.sessionkit.redis;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;
import redis.clients.jedis.HostAndPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code SESSION_REDIS*} keys, read and checked together: every bad value is reported in
 * one {@link io.sessionkit.SessionConfigException}.
 *
 * @param topology       where the sessions live
 * @param connectTimeout {@code SESSION_REDIS_CONNECT_TIMEOUT}: how long opening a connection may take
 * @param timeout        {@code SESSION_REDIS_TIMEOUT}: how long a command may wait for its answer,
 *                       and for a free pooled connection
 * @param poolSize       {@code SESSION_REDIS_POOL_SIZE}: most connections open at once (per node
 *                       in a Cluster)
 */
record RedisSettings(RedisTopology topology, Duration connectTimeout, Duration timeout, int poolSize) {

    static final String URL = "SESSION_REDIS";
    static final String SENTINELS = "SESSION_REDIS_SENTINELS";
    static final String SENTINEL_MASTER = "SESSION_REDIS_SENTINEL_MASTER";
    static final String SENTINEL_PASSWORD = "SESSION_REDIS_SENTINEL_PASSWORD";
    static final String CLUSTER = "SESSION_REDIS_CLUSTER";
    static final String USERNAME = "SESSION_REDIS_USERNAME";
    static final String PASSWORD = "SESSION_REDIS_PASSWORD";
    static final String CONNECT_TIMEOUT = "SESSION_REDIS_CONNECT_TIMEOUT";
    static final String TIMEOUT = "SESSION_REDIS_TIMEOUT";
    static final String POOL_SIZE = "SESSION_REDIS_POOL_SIZE";

    static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final int DEFAULT_POOL_SIZE = 16;

    /** Jedis takes timeouts as an int of milliseconds. */
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);
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
        RedisTopology topology = readTopology(reader);
        Duration connectTimeout = readTimeout(reader, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
        Duration timeout = readTimeout(reader, TIMEOUT, DEFAULT_TIMEOUT);
        int poolSize = reader.integer(POOL_SIZE, DEFAULT_POOL_SIZE, 1, 10_000);
        reader.validate();
        return new RedisSettings(topology, connectTimeout, timeout, poolSize);
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
            return null;
        }
        if (sentinel) {
            return readSentinel(reader);
        }
        if (cluster) {
            return new RedisTopology.Cluster(readNodes(reader, CLUSTER), readCredentials(reader, CLUSTER));
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
        String text = reader.string(URL, DEFAULT_URL);
        try {
            return new RedisTopology.Standalone(RedisUrl.parse(text));
        } catch (IllegalArgumentException e) {
            reader.invalid(URL, RedisUrl.masked(text),
                    "a URL such as redis://[user:password@]host:port[/db] or rediss://... for TLS: "
                            + e.getMessage());
            return null;
        }
    }

    private static RedisTopology readSentinel(ConfigReader reader) {
        List<HostAndPort> sentinels = readNodes(reader, SENTINELS);
        if (reader.optionalString(SENTINELS).isEmpty()) {
            reader.required(SENTINELS, "when " + SENTINEL_MASTER + " is set (host:port of each Sentinel)");
        }
        String master = reader.required(SENTINEL_MASTER, "when " + SENTINELS
                + " is set (the name of the master the Sentinels monitor, such as mymaster)");
        String sentinelPassword = reader.optionalString(SENTINEL_PASSWORD).orElse(null);
        return new RedisTopology.Sentinel(master, sentinels, sentinelPassword, readCredentials(reader, SENTINELS));
    }

    private static RedisTopology.Credentials readCredentials(ConfigReader reader, String modeKey) {
        Optional<String> user = reader.optionalString(USERNAME);
        Optional<String> password = reader.optionalString(PASSWORD);
        if (user.isPresent() && password.isEmpty()) {
            reader.required(PASSWORD, "when " + USERNAME + " is set with " + modeKey);
        }
        return new RedisTopology.Credentials(user.orElse(null), password.orElse(null));
    }

    private static List<HostAndPort> readNodes(ConfigReader reader, String key) {
        List<String> items = reader.list(key, List.of());
        List<HostAndPort> nodes = new ArrayList<>();
        for (String item : items) {
            HostAndPort node = parseNode(item);
            if (node == null) {
                reader.invalid(key, String.join(",", items),
                        "a comma-separated list of host:port, such as 10.0.0.1:6379,10.0.0.2:6379; '"
                                + item + "' is not host:port");
                return List.of();
            }
            nodes.add(node);
        }
        return List.copyOf(nodes);
    }

    private static HostAndPort parseNode(String item) {
        int colon = item.lastIndexOf(':');
        if (colon <= 0 || colon == item.length() - 1) {
            return null;
        }
        String host = item.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || host.contains("/") || host.contains("@")) {
            return null;
        }
        try {
            int port = Integer.parseInt(item.substring(colon + 1));
            return port >= 1 && port <= 65535 ? new HostAndPort(host, port) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration readTimeout(ConfigReader reader, String key, Duration defaultValue) {
        Duration timeout = reader.duration(key, defaultValue);
        // Jedis reads 0 ms as "wait forever", so a sub-millisecond value must not round down to it.
        if (timeout.compareTo(SHORTEST_TIMEOUT) < 0 || timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            reader.invalid(key, reader.optionalString(key).orElse(""),
                    "a duration from 1 millisecond (PT0.001S) to " + LONGEST_TIMEOUT.toDays() + " days");
            return defaultValue;
        }
        return timeout;
    }

    /**
     * @return where sessions live, without passwords, for messages
     */
    String describe() {
        return topology.toString();
    }
}
