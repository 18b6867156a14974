package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

/**
 * Provides {@code SESSION_TYPE=redis}: sessions in Redis through Jedis, on one server
 * ({@code SESSION_REDIS}, TLS with {@code rediss://}), behind Sentinels
 * ({@code SESSION_REDIS_SENTINELS}, {@code SESSION_REDIS_SENTINEL_MASTER}) or on a Cluster
 * ({@code SESSION_REDIS_CLUSTER}), the last two over TLS with {@code SESSION_REDIS_TLS} (and
 * {@code SESSION_REDIS_SENTINEL_TLS} for Sentinels that differ from their master). A {@link redis.clients.jedis.UnifiedJedis} handed in with
 * {@link SessionConfig.Builder#client(Object)} ({@code JedisPooled}, {@code JedisCluster},
 * {@code JedisSentineled}) is used instead, and left open on close; setting any
 * {@code SESSION_REDIS*} key as well is a configuration error, since the client already says how
 * to connect, with which timeouts and how many connections.
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
        RedisSettings settings = RedisSettings.read(config);
        RedisClient client = settings.handedIn().map(RedisClient::handedIn).orElseGet(() -> RedisClient.connect(settings));
        return client.jedis().closeOnFailure(jedis -> {
            RedisExpiryNotifications expiryNotifications = null;
            if (settings.expiryEvents()) {
                RedisExpiryNotifications.requireAnnounced(jedis.get());
                expiryNotifications = new RedisExpiryNotifications(jedis.get());
            }
            return new RedisSessionBackend(client, config.clock(), config.keyPrefix(), expiryNotifications,
                    settings.timeout());
        });
    }
}
