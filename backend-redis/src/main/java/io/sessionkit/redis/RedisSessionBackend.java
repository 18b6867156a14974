package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

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
 * <p>All commands are idempotent, so one that fails on a broken connection is retried once on
 * a fresh one: after a server restart the pooled connections are all stale, and without the
 * retry each of them would fail one request. A command that fails again is thrown as a
 * {@link SessionBackendException}. Thread-safe.
 */
final class RedisSessionBackend implements SessionBackend, TouchingLoad {

    private final RedisClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisSessionBackend(RedisClient client) {
        this.client = client;
    }

    @Override
    public byte[] load(String key) {
        byte[] binaryKey = bytes(key);
        return run("load", jedis -> jedis.get(binaryKey));
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        byte[] binaryKey = bytes(key);
        long millis = millis(timeToLive);
        GetExParams expiry = millis % 1000 == 0
                ? GetExParams.getExParams().ex(millis / 1000) : GetExParams.getExParams().px(millis);
        return run("load", jedis -> jedis.getEx(binaryKey, expiry));
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        byte[] binaryKey = bytes(key);
        long millis = millis(timeToLive);
        SetParams expiry = millis % 1000 == 0
                ? SetParams.setParams().ex(millis / 1000) : SetParams.setParams().px(millis);
        run("save", jedis -> jedis.set(binaryKey, value, expiry));
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        byte[] binaryKey = bytes(key);
        long millis = millis(timeToLive);
        // Both leave an absent key absent, as the contract requires.
        run("touch", jedis -> millis % 1000 == 0 ? jedis.expire(binaryKey, millis / 1000) : jedis.pexpire(binaryKey, millis));
    }

    @Override
    public void delete(String key) {
        byte[] binaryKey = bytes(key);
        // UNLINK frees a large value in the background instead of blocking the server.
        run("delete", jedis -> jedis.unlink(binaryKey));
    }

    @Override
    public void close() {
        closed.set(true);
        client.jedis().close();
    }

    private <T> T run(String operation, Function<UnifiedJedis, T> command) {
        if (closed.get()) {
            // A handed-in client stays open after close: the backend must refuse work by itself.
            throw new SessionBackendException(RedisSessionBackendProvider.TYPE, operation, "the backend is closed", null);
        }
        try {
            return command.apply(client.jedis().get());
        } catch (JedisConnectionException first) {
            if (client.beforeRetry() == null || closed.get()) {
                throw failure(operation, first);
            }
            try {
                client.beforeRetry().run();
                return command.apply(client.jedis().get());
            } catch (JedisException second) {
                second.addSuppressed(first);
                throw failure(operation, second);
            }
        } catch (JedisException e) {
            throw failure(operation, e);
        }
    }

    // The key is left out of messages on purpose: it holds the session id, which is as good as
    // the user's login to whoever reads the log.
    private SessionBackendException failure(String operation, JedisException e) {
        return new SessionBackendException(RedisSessionBackendProvider.TYPE, operation,
                closed.get() ? "the backend is closed" : explain(e), e);
    }

    private String explain(JedisException e) {
        if (e instanceof JedisConnectionException || e.getCause() instanceof JedisConnectionException) {
            return "could not reach " + client.description() + ": " + e.getMessage()
                    + " (check that the server runs and answers within the timeout)";
        }
        if (e.getCause() instanceof NoSuchElementException) {
            return "no free connection to " + client.description() + " within the timeout: every pooled"
                    + " connection is busy (raise SESSION_REDIS_POOL_SIZE, or look for slow commands)";
        }
        return client.description() + " refused the command: " + e.getMessage();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static long millis(Duration timeToLive) {
        // Redis rejects an expiry of 0; a sub-millisecond time to live rounds up instead.
        return Math.max(1, timeToLive.toMillis());
    }
}
