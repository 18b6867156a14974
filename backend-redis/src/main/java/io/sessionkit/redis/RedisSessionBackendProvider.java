package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import redis.clients.jedis.UnifiedJedis;

/**
 * Provides {@code SESSION_TYPE=redis}: sessions in Redis through Jedis, on one server
 * ({@code SESSION_REDIS}, TLS with {@code rediss://}), behind Sentinels
 * ({@code SESSION_REDIS_SENTINELS}, {@code SESSION_REDIS_SENTINEL_MASTER}) or on a Cluster
 * ({@code SESSION_REDIS_CLUSTER}). A {@link UnifiedJedis} handed in with
 * {@link SessionConfig.Builder#client(Object)} ({@code JedisPooled}, {@code JedisCluster},
 * {@code JedisSentineled}) is used instead, and left open on close.
 *
 * <p>A standalone server that cannot be reached at start-up fails on first use; Sentinels or
 * Cluster nodes that cannot be reached fail {@link #create} with a
 * {@link io.sessionkit.SessionBackendException}, since Jedis needs them to learn the layout.
 */
public final class RedisSessionBackendProvider implements SessionBackendProvider {

    /** The {@code SESSION_TYPE} of this store. */
    public static final String TYPE = "redis";

    /**
     * Creates the provider; it reads nothing and connects nowhere until {@link #create}.
     */
    public RedisSessionBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        return new RedisSessionBackend(config.client(UnifiedJedis.class)
                .map(RedisClient::handedIn)
                .orElseGet(() -> RedisClient.connect(RedisSettings.read(config))));
    }
}
