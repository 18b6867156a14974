package io.sessionkit.redis;

import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.InvalidationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Changes of session entries told by Redis itself: server-assisted client-side caching in
 * broadcasting mode ({@code CLIENT TRACKING ON BCAST PREFIX <SESSION_KEY_PREFIX>}), which makes the
 * server tell every change of a key under the prefix, by anyone, including expiries, evictions
 * and flushes. It works with the RESP2 protocol of Redis 6 and 7: the tracking connection
 * redirects the messages to itself and subscribes to {@code __redis__:invalidate}. The server
 * queues a change's message before the writer's answer, so it is on its way when the writer
 * hears its write was made.
 *
 * <p>The connection is this feed's own, not one of the pool's. Tracking lives and dies with it:
 * when it breaks (a restart, {@code CLIENT KILL}, a network fault, no answer to the ping sent
 * every {@link #PING_INTERVAL}), the listener hears {@code lost} at once, and {@code live} again
 * once a new connection tracks. Versions are those of {@link RedisConditionalWrites}; the
 * current ones are read by one script over all the keys asked, so this is for a single server
 * (not a Cluster, where a script's keys must share a slot, nor Sentinel, whose failover would
 * move the tracking to a server that has not told the changes it missed).
 */
final class RedisInvalidationFeed implements InvalidationFeed {

    private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationFeed.class);
    static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    private static final long RECONNECT_AFTER_MILLIS = 200;
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    /** What a ping answers on a subscribed RESP2 connection: ["pong", ""]. */
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.US_ASCII);

    /** KEYS: the entries. Answers, for each, its version (16 hexadecimal digits), or '' when absent. */
    private static final RedisScript VERSIONS = RedisScript.of(RedisStoredValue.LUA_VERSION + """
            local versions = {}
            for i, key in ipairs(KEYS) do
              versions[i] = version(key) or ''
            end
            return versions
            """);

    private final Supplier<RedisTrackingConnection> connections;
    private final RedisCommands commands;
    private final Duration timeout;

    /**
     * @param connections opens a new connection to the server, used only by the feed
     * @param commands    the backend's commands, for the versions
     * @param timeout     {@code SESSION_REDIS_TIMEOUT}: how long a ping may go unanswered beyond its interval
     */
    RedisInvalidationFeed(Supplier<RedisTrackingConnection> connections, RedisCommands commands, Duration timeout) {
        this.connections = connections;
        this.commands = commands;
        this.timeout = timeout;
    }

    @Override
    public Subscription subscribe(String keyPrefix, InvalidationListener listener) {
        Tracking subscription = new Tracking(keyPrefix.getBytes(StandardCharsets.UTF_8), listener);
        subscription.start();
        return subscription;
    }

    @Override
    public long versionOf(byte[] value) {
        return RedisStoredValue.versionOf(value);
    }

    @Override
    public List<Long> currentVersions(List<String> keys) {
        List<byte[]> binaryKeys = new ArrayList<>(keys.size());
        keys.forEach(key -> binaryKeys.add(RedisCommands.bytes(key)));
        List<?> answers = (List<?>) commands.run("load", jedis -> VERSIONS.runOnKeys(jedis, binaryKeys));
        List<Long> versions = new ArrayList<>(answers.size());
        for (Object answer : answers) {
            byte[] hex = (byte[]) answer;
            versions.add(hex.length == 0 ? null : HexFormat.fromHexDigitsToLong(new String(hex, StandardCharsets.US_ASCII)));
        }
        return versions;
    }

    /** One feed: a thread that keeps a tracking connection and reads it, and a thread that pings it. */
    private final class Tracking implements Subscription {
        private final byte[] prefix;
        private final InvalidationListener listener;
        private final Thread reader;
        private final ScheduledExecutorService pinger;
        private volatile RedisTrackingConnection connection;
        private volatile boolean closed;
        /** Threads in {@link #awaitCaughtUp}, woken whenever a message has been told. */
        private final Queue<Thread> waiting = new ConcurrentLinkedQueue<>();

        Tracking(byte[] prefix, InvalidationListener listener) {
            this.prefix = prefix;
            this.listener = listener;
            this.reader = new Thread(this::readUntilClosed, "sessionkit-redis-invalidations");
            reader.setDaemon(true);
            this.pinger = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "sessionkit-redis-invalidations-ping");
                thread.setDaemon(true);
                return thread;
            });
        }

        void start() {
            reader.start();
            long every = PING_INTERVAL.toMillis();
            pinger.scheduleWithFixedDelay(this::ping, every, every, TimeUnit.MILLISECONDS);
        }

        private void readUntilClosed() {
            boolean warned = false;
            while (!closed) {
                try (RedisTrackingConnection opened = connections.get()) {
                    connection = opened;
                    track(opened);
                    listener.live();
                    if (warned) {
                        LOG.info("Redis invalidations are told again; the near cache serves copies again");
                        warned = false;
                    }
                    while (!closed) {
                        tell(opened, opened.getUnflushedObject());
                        opened.told();
                        wakeWaiting();
                    }
                } catch (RuntimeException e) {
                    // Whatever ends the reading (a broken connection, a message of an unexpected
                    // shape), the thread must say lost and reconnect: dying silently would leave
                    // the cache serving copies no one invalidates.
                    listener.lost();
                    if (!closed && !warned) {
                        LOG.warn("Redis invalidations are not told ({}: {}); the near cache is emptied and sessions are"
                                + " read from Redis until the tracking connection is back, tried every {} ms",
                                e.getClass().getSimpleName(), e.getMessage(), RECONNECT_AFTER_MILLIS);
                        warned = true;
                    }
                } finally {
                    connection = null;
                }
                pause();
            }
        }

        private void track(RedisTrackingConnection opened) {
            opened.setSoTimeout((int) PING_INTERVAL.plus(timeout).multipliedBy(2).toMillis());
            long id = (Long) opened.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("ID"));
            opened.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("TRACKING").add("ON")
                    .add("REDIRECT").add(id).add("BCAST").add("PREFIX").add(prefix));
            opened.sendCommand(Protocol.Command.SUBSCRIBE, CHANNEL);
            opened.getObjectMultiBulkReply(); // subscribe, the channel, 1
            opened.told();
        }

        /** Tells an invalidation message; a ping's answer says only that the connection lives. */
        private void tell(RedisTrackingConnection opened, Object pushed) {
            List<?> parts = (List<?>) pushed;
            if (!parts.isEmpty() && Arrays.equals(PONG, (byte[]) parts.get(0))) {
                opened.pingAnswered();
                return;
            }
            if (parts.size() < 3 || !Arrays.equals(MESSAGE, (byte[]) parts.get(0))) {
                return;
            }
            Object keys = parts.get(2);
            if (keys == null) {
                listener.invalidatedAll(); // FLUSHALL, FLUSHDB
                return;
            }
            for (Object key : (List<?>) keys) {
                listener.invalidated(new String((byte[]) key, StandardCharsets.UTF_8));
            }
        }

        @Override
        public boolean caughtUp() {
            RedisTrackingConnection current = connection;
            return current != null && current.caughtUp();
        }

        @Override
        public boolean awaitCaughtUp(Duration patience) {
            RedisTrackingConnection current = connection;
            RedisTrackingConnection.Mark mark = current == null ? null : current.mark();
            if (mark == null) {
                return false;
            }
            if (current.toldUpTo(mark)) {
                return true;
            }
            long deadline = System.nanoTime() + patience.toNanos();
            Thread self = Thread.currentThread();
            // Listed before looking again: a telling finished after the look below unparks this
            // thread, or leaves it a permit that ends its next park at once.
            waiting.add(self);
            try {
                // Only what had arrived is waited for: tellings that come meanwhile are of changes
                // made after this read began, which it need not see.
                while (!current.toldUpTo(mark)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closed || connection != current) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
                return connection == current;
            } finally {
                waiting.remove(self);
            }
        }

        private void wakeWaiting() {
            for (Thread thread : waiting) {
                LockSupport.unpark(thread);
            }
        }

        private void ping() {
            RedisTrackingConnection current = connection;
            if (current == null) {
                return;
            }
            try {
                current.sendPing();
            } catch (JedisException e) {
                // The reader hears the broken connection too, and reconnects.
                LOG.debug("ping of the tracking connection failed", e);
            }
        }

        private void pause() {
            if (closed) {
                return;
            }
            try {
                Thread.sleep(RECONNECT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }

        @Override
        public void close() {
            closed = true;
            pinger.shutdownNow();
            RedisTrackingConnection current = connection;
            if (current != null) {
                current.close(); // unblocks the reader
            }
            reader.interrupt();
            wakeWaiting();
            listener.lost();
        }
    }
}
