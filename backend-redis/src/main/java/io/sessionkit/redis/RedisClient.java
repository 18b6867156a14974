package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.HostPort;
import io.sessionkit.spi.BackendClient;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import javax.net.ssl.SSLParameters;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Jedis client a {@link RedisSessionBackend} sends its commands through, with what the
 * backend must know about it: who closes it, and how to recover from connections that broke
 * while idle (for instance across a server restart).
 *
 * @param jedis       the client, thread-safe, and whether SessionKit built it and so closes it
 * @param description where it points, without passwords, for error messages
 * @param beforeRetry run before the one retry of a command that failed on a broken connection,
 *                    or {@code null} when the client retries by itself (Cluster) and must not be
 *                    retried again
 * @param trackingConnections opens a connection of its own to the one server, for the near
 *                    cache's {@link RedisInvalidationFeed}; {@code null} for Sentinel, Cluster and
 *                    clients handed in, whose server this backend cannot follow, and over TLS
 * @param pipelines   whether a pipeline of commands on one key reaches the server holding it: one
 *                    server or Sentinel's master, built from the settings; not a Cluster (Jedis
 *                    does not follow a moved slot in a pipeline) nor a client handed in, whose
 *                    routing is unknown
 */
record RedisClient(BackendClient<UnifiedJedis> jedis, String description, Runnable beforeRetry,
                   Supplier<RedisTrackingConnection> trackingConnections, boolean pipelines) {

    /**
     * Wraps a client the application built; it is used as is and never closed.
     *
     * @param client the application's client
     * @return the wrapper
     */
    static RedisClient handedIn(UnifiedJedis client) {
        Runnable beforeRetry = client instanceof JedisCluster ? null : () -> { };
        return new RedisClient(BackendClient.handedIn(client),
                "the " + client.getClass().getSimpleName() + " handed in through the configuration", beforeRetry, null,
                false);
    }

    /**
     * Builds a client from the settings. A standalone client connects lazily; Sentinel and
     * Cluster clients ask their seed nodes for the layout at once.
     *
     * @param settings the validated settings
     * @return the client
     * @throws SessionBackendException when the Sentinels or Cluster nodes cannot be reached
     */
    static RedisClient connect(RedisSettings settings) {
        String description = settings.describe() + " (connect timeout " + millis(settings.connectTimeout())
                + ", timeout " + millis(settings.timeout()) + ")";
        ConnectionPoolConfig pool = poolConfig(settings);
        try {
            RedisTopology topology = settings.topology();
            if (topology instanceof RedisTopology.Sentinel sentinel) {
                return sentinel(settings, sentinel, pool, description);
            }
            if (topology instanceof RedisTopology.Cluster cluster) {
                return cluster(settings, cluster, pool, description);
            }
            return standalone(settings, ((RedisTopology.Standalone) topology).url(), pool, description);
        } catch (JedisException e) {
            throw new SessionBackendException(RedisSessionBackendProvider.TYPE, "connect",
                    "could not reach " + description + ": " + e.getMessage() + firstFailure(e)
                            + " (check that the servers run and the SESSION_REDIS_* settings)", e);
        }
    }

    /**
     * JedisCluster reports only "could not initialize" and attaches why the first seed it tried
     * failed, such as a refused TLS handshake or a TLS server hanging up on plain text: that is
     * what a reader needs.
     */
    private static String firstFailure(JedisException e) {
        Throwable[] suppressed = e.getSuppressed();
        return suppressed.length == 0 ? "" : " (first failure: " + suppressed[0].getMessage() + ")";
    }

    private static RedisClient standalone(RedisSettings settings, RedisUrl url, ConnectionPoolConfig pool,
                                          String description) {
        HostAndPort server = new HostAndPort(url.host(), url.port());
        JedisClientConfig config = clientConfig(settings, url.user(), url.password(), url.database(), url.tls());
        JedisPooled client = new JedisPooled(server, config, pool);
        // Connections that broke while idle (the server restarted) are all stale at once: drop
        // them, so that the retry opens a fresh one instead of drawing the next stale one.
        // A TLS socket cannot tell what waits in it undecrypted, which the near cache's coherence
        // relies on (RedisTrackingConnection): no invalidation feed over TLS.
        return new RedisClient(owned(client), description, () -> client.getPool().clear(),
                url.tls() ? null : () -> new RedisTrackingConnection(server, config), true);
    }

    private static RedisClient sentinel(RedisSettings settings, RedisTopology.Sentinel sentinel,
                                        ConnectionPoolConfig pool, String description) {
        RedisTopology.Credentials credentials = sentinel.credentials();
        JedisClientConfig master = clientConfig(settings, credentials.user(), credentials.password(), 0, sentinel.tls());
        JedisClientConfig sentinels = clientConfig(settings, null, sentinel.sentinelPassword(), 0, sentinel.sentinelTls());
        JedisSentineled client = new JedisSentineled(sentinel.masterName(), master, pool,
                jedisNodes(sentinel.sentinels()), sentinels);
        return new RedisClient(owned(client), description, () -> { }, null, true);
    }

    private static RedisClient cluster(RedisSettings settings, RedisTopology.Cluster cluster,
                                       ConnectionPoolConfig pool, String description) {
        RedisTopology.Credentials credentials = cluster.credentials();
        JedisClientConfig nodes = clientConfig(settings, credentials.user(), credentials.password(), 0, cluster.tls());
        // JedisCluster retries by itself, following MOVED and refreshing its slot map; the total
        // bound keeps an outage from holding a request much longer than one timeout.
        Duration retryBudget = settings.connectTimeout().plus(settings.timeout()).multipliedBy(2);
        JedisCluster client = new JedisCluster(jedisNodes(cluster.seeds()), nodes,
                JedisCluster.DEFAULT_MAX_ATTEMPTS, retryBudget, pool);
        return new RedisClient(owned(client), description, null, null, false);
    }

    private static JedisClientConfig clientConfig(RedisSettings settings, String user, String password,
                                                  int database, boolean tls) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .socketTimeoutMillis((int) settings.timeout().toMillis())
                .user(user)
                .password(password)
                .database(database)
                .ssl(tls);
        if (tls) {
            // Jedis does not check the server's name against its certificate unless asked to.
            SSLParameters parameters = new SSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            builder.sslParameters(parameters);
        }
        return builder.build();
    }

    private static ConnectionPoolConfig poolConfig(RedisSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        // The default waits forever for a free connection; a saturated pool must fail like a slow server.
        pool.setMaxWait(settings.timeout());
        return pool;
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static BackendClient<UnifiedJedis> owned(UnifiedJedis client) {
        return BackendClient.owned(client, UnifiedJedis::close);
    }

    private static Set<HostAndPort> jedisNodes(List<HostPort> nodes) {
        Set<HostAndPort> converted = new LinkedHashSet<>();
        nodes.forEach(node -> converted.add(new HostAndPort(node.host(), node.port())));
        return converted;
    }
}
