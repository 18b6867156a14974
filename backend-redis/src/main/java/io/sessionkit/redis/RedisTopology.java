package io.sessionkit.redis;

import io.sessionkit.core.HostPort;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which Redis deployment the sessions live on: one server, a Sentinel-managed master, or a
 * Cluster. Each form prints itself without passwords.
 */
sealed interface RedisTopology {

    /**
     * One server, addressed by {@code SESSION_REDIS}.
     *
     * @param url the parsed URL
     */
    record Standalone(RedisUrl url) implements RedisTopology {
        @Override
        public String toString() {
            return url.toString();
        }
    }

    /**
     * The master that Sentinels name, from {@code SESSION_REDIS_SENTINELS} and
     * {@code SESSION_REDIS_SENTINEL_MASTER}.
     *
     * @param masterName       the monitored master's name
     * @param sentinels        the Sentinels to ask
     * @param sentinelPassword the Sentinels' own password, or {@code null}
     * @param credentials      the data nodes' credentials
     * @param tls              {@code SESSION_REDIS_TLS}: whether the master is reached over TLS
     * @param sentinelTls      {@code SESSION_REDIS_SENTINEL_TLS}: whether the Sentinels are
     */
    record Sentinel(String masterName, List<HostPort> sentinels, String sentinelPassword,
                    Credentials credentials, boolean tls, boolean sentinelTls) implements RedisTopology {
        @Override
        public String toString() {
            // Both settings are shown, so that a TLS mismatch is plain to see in a connection error.
            return "Sentinel master '" + masterName + "' via " + join(sentinels) + " (Sentinels "
                    + transport(sentinelTls, RedisSettings.SENTINEL_TLS) + ", master " + transport(tls, RedisSettings.TLS) + ")";
        }
    }

    /**
     * A Redis Cluster, found from the seed nodes of {@code SESSION_REDIS_CLUSTER}.
     *
     * @param seeds       nodes to learn the cluster's layout from; one reachable node suffices
     * @param credentials the nodes' credentials
     * @param tls         {@code SESSION_REDIS_TLS}: whether every node is reached over TLS
     */
    record Cluster(List<HostPort> seeds, Credentials credentials, boolean tls) implements RedisTopology {
        @Override
        public String toString() {
            return "Cluster via " + join(seeds) + " (" + transport(tls, RedisSettings.TLS) + ")";
        }
    }

    /**
     * Credentials of the data nodes in Sentinel and Cluster mode; a standalone URL carries its
     * own.
     *
     * @param user     the ACL user, or {@code null} for the default user
     * @param password the password, or {@code null}
     */
    record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
        }
    }

    private static String transport(boolean tls, String key) {
        return (tls ? "over TLS, " : "in plain text, ") + key + "=" + tls;
    }

    private static String join(List<HostPort> nodes) {
        return nodes.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }
}
