package io.sessionkit.redis;

import io.sessionkit.spi.Capabilities;
import io.sessionkit.spi.ExpiryNotifications;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static io.sessionkit.redis.RedisCommands.bytes;
import static io.sessionkit.redis.RedisCommands.millis;

/**
 * Sessions in Redis: one string key per session, holding the serialized bytes, with the
 * session's time to live as the key's expiry, so Redis itself removes expired sessions.
 *
 * <p>Each operation is one command, all on a single key, so it works unchanged on a Cluster:
 * {@code SET key value PX|EX ttl} (atomic replace with expiry), {@code PEXPIRE|EXPIRE},
 * {@code GET}, {@code GETEX key PX|EX ttl} for {@link TouchingLoad} (read and extend in one
 * round trip; Redis 6.2 or later) and {@code UNLINK}. Times to live that are whole seconds are
 * sent in seconds, others in milliseconds.
 *
 * <p>All these commands are idempotent, so one that fails on a broken connection is retried
 * once on a fresh one (see {@link RedisCommands}); a command that fails again is thrown as a
 * {@link io.sessionkit.SessionBackendException}.
 *
 * <p>Capabilities beyond {@link TouchingLoad}: {@link ConditionalWrites}
 * ({@link RedisConditionalWrites}), {@link SessionLocks} ({@link RedisSessionLocks}),
 * {@link ExpiryReportingLoad} ({@link RedisExpiryReportingLoad}), {@link PrincipalIndex}
 * ({@link RedisPrincipalIndex}, sets beside the session keys) and {@link SessionListing}
 * ({@link RedisSessionListing}, the only part that scans, on every master); with
 * {@code SESSION_REDIS_EXPIRY_EVENTS}, {@link ExpiryNotifications} ({@link RedisExpiryNotifications});
 * on one server (not Sentinel or Cluster) with a client built from the settings,
 * {@link InvalidationFeed} ({@link RedisInvalidationFeed}) for {@code SESSION_NEAR_CACHE}.
 * Thread-safe.
 */
final class RedisSessionBackend implements SessionBackend, TouchingLoad {

    private final RedisCommands commands;
    private final Capabilities capabilities;
    private final RedisExpiryNotifications expiryNotifications;

    /**
     * @param keyPrefix           {@code SESSION_KEY_PREFIX}, under which the principal index is kept
     * @param expiryNotifications the keyspace-notification subscriber, when
     *                            {@code SESSION_REDIS_EXPIRY_EVENTS} is on; else {@code null}
     * @param timeout             {@code SESSION_REDIS_TIMEOUT}
     */
    RedisSessionBackend(RedisClient client, Clock clock, String keyPrefix, RedisExpiryNotifications expiryNotifications,
                        Duration timeout) {
        this.commands = new RedisCommands(client);
        this.expiryNotifications = expiryNotifications;
        RedisExpiryReportingLoad expiryReportingLoad = new RedisExpiryReportingLoad(commands, clock, client.pipelines());
        RedisEntries entries = new RedisEntries(expiryReportingLoad, clock);
        Capabilities offered = Capabilities.none()
                .with(ConditionalWrites.class, new RedisConditionalWrites(commands, client.pipelines()))
                .with(ExpiryReportingLoad.class, expiryReportingLoad)
                .with(SessionLocks.class, new RedisSessionLocks(commands))
                .with(PrincipalIndex.class, new RedisPrincipalIndex(commands, entries, keyPrefix, clock))
                .with(SessionListing.class, new RedisSessionListing(commands, entries));
        if (client.trackingConnections() != null) {
            offered = offered.with(InvalidationFeed.class,
                    new RedisInvalidationFeed(client.trackingConnections(), commands, timeout));
        }
        this.capabilities = expiryNotifications == null ? offered
                : offered.with(ExpiryNotifications.class, expiryNotifications);
    }

    @Override
    public byte[] load(String key) {
        byte[] binaryKey = bytes(key);
        return RedisStoredValue.value(commands.run("load", jedis -> jedis.get(binaryKey)));
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        byte[] binaryKey = bytes(key);
        GetExParams expiry = getExExpiry(timeToLive);
        return RedisStoredValue.value(commands.run("load", jedis -> jedis.getEx(binaryKey, expiry)));
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        byte[] binaryKey = bytes(key);
        byte[] stored = RedisStoredValue.of(value);
        SetParams expiry = expiry(timeToLive);
        commands.run("save", jedis -> jedis.set(binaryKey, stored, expiry));
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        byte[] binaryKey = bytes(key);
        long millis = millis(timeToLive);
        // Both leave an absent key absent, as the contract requires.
        commands.run("touch", jedis -> millis % 1000 == 0 ? jedis.expire(binaryKey, millis / 1000) : jedis.pexpire(binaryKey, millis));
    }

    @Override
    public void delete(String key) {
        byte[] binaryKey = bytes(key);
        // UNLINK frees a large value in the background instead of blocking the server.
        commands.run("delete", jedis -> jedis.unlink(binaryKey));
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return capabilities.find(type).or(() -> SessionBackend.super.capability(type));
    }

    @Override
    public void close() {
        if (expiryNotifications != null) {
            expiryNotifications.close();
        }
        commands.close();
    }

    /**
     * @param timeToLive a time to live
     * @return {@code SET}'s expiry for it: {@code EX} seconds when it is whole seconds, else {@code PX}
     */
    static SetParams expiry(Duration timeToLive) {
        long millis = millis(timeToLive);
        return millis % 1000 == 0 ? SetParams.setParams().ex(millis / 1000) : SetParams.setParams().px(millis);
    }

    /**
     * @param timeToLive a time to live
     * @return {@code GETEX}'s expiry for it, in the same units as {@link #expiry}
     */
    static GetExParams getExExpiry(Duration timeToLive) {
        long millis = millis(timeToLive);
        return millis % 1000 == 0 ? GetExParams.getExParams().ex(millis / 1000) : GetExParams.getExParams().px(millis);
    }
}
