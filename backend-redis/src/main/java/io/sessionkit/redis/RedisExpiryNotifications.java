package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.ExpiryNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Expired sessions on Redis, from its keyspace notifications ({@code SESSION_REDIS_EXPIRY_EVENTS}):
 * a daemon thread subscribes to {@code __keyevent@*__:expired} on one of the client's
 * connections, which it holds for as long as the backend is open, and tells each expired key.
 * The server must announce expiries ({@code notify-keyspace-events} with {@code E} and
 * {@code x}); {@link #requireAnnounced} adds them when it may. Redis sends notifications to
 * whoever is subscribed at that moment and keeps none: expiries while the subscription is down
 * (a restart, a failover) are not told. A Cluster node announces only its own keys, so this is
 * for one server or Sentinel.
 */
final class RedisExpiryNotifications implements ExpiryNotifications, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisExpiryNotifications.class);
    private static final String EXPIRED_KEYS = "__keyevent@*__:expired";
    private static final String SETTING = "notify-keyspace-events";
    private static final long RESUBSCRIBE_AFTER_MILLIS = 1000;

    private final UnifiedJedis jedis;
    private final Subscription subscription = new Subscription();
    private volatile Consumer<String> expired;
    private volatile boolean closed;
    private Thread thread;

    RedisExpiryNotifications(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * Makes sure the server announces expired keys, adding {@code Ex} to its
     * {@code notify-keyspace-events} when missing.
     *
     * @throws SessionBackendException when it does not and may not be told to (a managed Redis
     *                                  that refuses {@code CONFIG}), naming the setting to change
     */
    static void requireAnnounced(UnifiedJedis jedis) {
        try {
            String flags = flags(jedis.sendCommand(Protocol.Command.CONFIG, "GET", SETTING));
            boolean announced = flags.contains("E") && (flags.contains("x") || flags.contains("A"));
            if (!announced) {
                jedis.sendCommand(Protocol.Command.CONFIG, "SET", SETTING, flags + "Ex");
            }
        } catch (JedisException e) {
            throw new SessionBackendException(RedisSessionBackendProvider.TYPE, "connect", RedisSettings.EXPIRY_EVENTS
                    + " is true but the server's " + SETTING + " could not be read or given 'Ex' (" + e.getMessage()
                    + "); set " + SETTING + " to include Ex on the server, or turn " + RedisSettings.EXPIRY_EVENTS + " off", e);
        }
    }

    private static String flags(Object configGetAnswer) {
        List<?> nameAndValue = (List<?>) configGetAnswer;
        return nameAndValue.size() < 2 ? "" : new String((byte[]) nameAndValue.get(1), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void reportExpiredTo(Consumer<String> expiredKeys) {
        expired = expiredKeys;
        if (thread == null && !closed) {
            thread = new Thread(this::subscribeUntilClosed, "sessionkit-redis-expiry-events");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void subscribeUntilClosed() {
        boolean warned = false;
        while (!closed) {
            try {
                jedis.psubscribe(subscription, EXPIRED_KEYS);
            } catch (JedisException e) {
                if (closed) {
                    return;
                }
                if (!warned) {
                    LOG.warn("Redis expiry notifications lost their subscription ({}); expiries are not told until it is"
                            + " back, tried every {} ms", e.getClass().getSimpleName(), RESUBSCRIBE_AFTER_MILLIS);
                    warned = true;
                }
            }
            try {
                Thread.sleep(RESUBSCRIBE_AFTER_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            try {
                if (subscription.isSubscribed()) {
                    subscription.punsubscribe();
                }
            } catch (JedisException e) {
                // The connection is gone already; the thread ends with it.
            }
            thread.interrupt();
        }
    }

    private final class Subscription extends JedisPubSub {
        @Override
        public void onPMessage(String pattern, String channel, String key) {
            Consumer<String> target = expired;
            if (target != null) {
                target.accept(key);
            }
        }
    }
}
