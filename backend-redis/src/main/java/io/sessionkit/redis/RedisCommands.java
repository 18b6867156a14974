package io.sessionkit.redis;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.Redaction;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Sends the commands of one {@link RedisSessionBackend} and of its capabilities through its
 * client, and turns Jedis failures into {@link SessionBackendException}s.
 *
 * <p>A command that fails on a broken connection (not a timed-out one) is sent once more on a fresh one: after a
 * server restart the pooled connections are all stale, and without that retry each of them
 * would fail one request. A broken connection does not say whether the server ran the command
 * before the connection broke, so a command is sent again as it is only when running it twice
 * does what running it once does; the others name a second command, sent instead, that finds
 * out whether the first one ran. A command that fails again is thrown. On a Cluster, Jedis
 * sends commands again by itself (and is not retried here); see {@code docs/backends/redis.md}.
 * Thread-safe.
 */
final class RedisCommands {

    private final RedisClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisCommands(RedisClient client) {
        this.client = client;
    }

    /**
     * Runs a command that may safely run twice, retrying it once on a fresh connection.
     *
     * @param operation the operation for failure messages: load, save, touch, delete, lock, unlock,
     *                  index, sessionsOf, count, list
     * @param command   the command
     * @param <T>       its answer
     * @return its answer
     * @throws SessionBackendException when it fails
     */
    <T> T run(String operation, Function<UnifiedJedis, T> command) {
        return run(operation, command, command);
    }

    /**
     * Runs a command that must not blindly run twice; when its connection breaks,
     * {@code afterBrokenConnection} is sent instead, on a fresh connection, knowing that
     * {@code command} may or may not have run.
     *
     * @param operation             the operation for failure messages
     * @param command               the command
     * @param afterBrokenConnection what to send when the connection broke under {@code command}
     * @param <T>                   the answer
     * @return the answer of whichever ran
     * @throws SessionBackendException when it fails
     */
    <T> T run(String operation, Function<UnifiedJedis, T> command, Function<UnifiedJedis, T> afterBrokenConnection) {
        if (closed.get()) {
            // A handed-in client stays open after close: the backend must refuse work by itself.
            throw new SessionBackendException(RedisSessionBackendProvider.TYPE, operation, "the backend is closed", null);
        }
        try {
            return command.apply(client.jedis().get());
        } catch (JedisConnectionException first) {
            if (client.beforeRetry() == null || closed.get() || timedOut(first)) {
                throw failure(operation, first);
            }
            try {
                client.beforeRetry().run();
                return afterBrokenConnection.apply(client.jedis().get());
            } catch (JedisException second) {
                second.addSuppressed(first);
                throw failure(operation, second);
            }
        } catch (JedisException e) {
            throw failure(operation, e);
        }
    }

    /**
     * A connection whose read or connect timed out met a server that is slow or frozen, not a
     * connection gone stale across a restart: sending again would only double the wait.
     */
    private static boolean timedOut(JedisConnectionException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param operation the operation
     * @param message   what went wrong and what to do
     * @return a failure of this store naming the server
     */
    SessionBackendException failure(String operation, String message) {
        return new SessionBackendException(RedisSessionBackendProvider.TYPE, operation,
                message + " (" + client.description() + ")", null);
    }

    /**
     * Marks the backend closed, so that later commands are refused, and closes a client SessionKit
     * built.
     */
    void close() {
        closed.set(true);
        client.jedis().close();
    }

    // The key is left out of messages on purpose: it holds the session id, which is as good as
    // the user's login to whoever reads the log.
    private SessionBackendException failure(String operation, JedisException e) {
        return new SessionBackendException(RedisSessionBackendProvider.TYPE, operation,
                closed.get() ? "the backend is closed" : explain(e), e);
    }

    private String explain(JedisException e) {
        JedisConnectionException lastFailure = clusterGaveUpAfter(e);
        if (lastFailure != null) {
            return "could not reach " + client.description() + ": " + Redaction.message(e.getMessage())
                    + " (last failure: " + Redaction.message(lastFailure.getMessage())
                    + "; check that every node runs and answers within the timeout)";
        }
        if (e instanceof JedisConnectionException || e.getCause() instanceof JedisConnectionException) {
            return "could not reach " + client.description() + ": " + Redaction.message(e.getMessage())
                    + " (check that the server runs and answers within the timeout)";
        }
        if (e.getCause() instanceof NoSuchElementException) {
            return "no free connection to " + client.description() + " within the timeout: every pooled"
                    + " connection is busy (raise SESSION_REDIS_POOL_SIZE, or look for slow commands)";
        }
        return client.description() + " refused the command: " + Redaction.message(e.getMessage());
    }

    /**
     * JedisCluster gives up on its own retries in two ways: out of time, with the last failure as
     * the cause (since Jedis 7), or out of attempts, with the failures attached only as suppressed
     * exceptions. Both mean that a node could not be reached, not that Redis refused the command.
     *
     * @return the last connection failure JedisCluster gave up after, or {@code null}
     */
    private static JedisConnectionException clusterGaveUpAfter(JedisException e) {
        if (!(e instanceof JedisClusterOperationException)) {
            return null;
        }
        if (e.getCause() instanceof JedisConnectionException connection) {
            return connection;
        }
        Throwable[] suppressed = e.getSuppressed();
        for (int i = suppressed.length - 1; i >= 0; i--) {
            if (suppressed[i] instanceof JedisConnectionException connection) {
                return connection;
            }
        }
        return null;
    }

    /**
     * @param key a store key
     * @return the key as Redis gets it
     */
    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param timeToLive a time to live
     * @return it in milliseconds, at least 1: Redis rejects an expiry of 0, so a
     *         sub-millisecond time to live rounds up
     */
    static long millis(Duration timeToLive) {
        return Math.max(1, timeToLive.toMillis());
    }
}
