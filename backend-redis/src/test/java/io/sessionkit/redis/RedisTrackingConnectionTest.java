package io.sessionkit.redis;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.InvalidationListener;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ClientPauseMode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the near cache relies on of a tracking connection: a change's telling is waiting on the
 * connection as soon as the writer has its answer, and {@code caughtUp} says so until it is told;
 * a read that finds a telling under way waits for it to be told, woken by the feed's reading
 * thread, instead of asking Redis.
 */
class RedisTrackingConnectionTest {

    private static final Duration TELLING_TAKES = Duration.ofMillis(300);

    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static RedisTrackingConnection tracking() {
        return new RedisTrackingConnection(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().build());
    }

    private static SessionBackend backend() {
        return BackendRegistry.load().create(SessionConfig.builder()
                .set("SESSION_TYPE", "redis").set("SESSION_REDIS", server.url()).build());
    }

    /** Subscribes to the keys under {@code session:} and waits until the feed is live. */
    private static InvalidationFeed.Subscription subscribed(SessionBackend backend, LiveListener listener)
            throws InterruptedException {
        InvalidationFeed.Subscription subscription =
                backend.capability(InvalidationFeed.class).orElseThrow().subscribe("session:", listener);
        if (!listener.live.await(10, TimeUnit.SECONDS)) {
            subscription.close();
            throw new AssertionError("the feed never said it was live");
        }
        return subscription;
    }

    /** Tracks the keys under {@code told:} as the feed does, and checks that the subscription is told. */
    private static void track(RedisTrackingConnection tracking) {
        long id = (Long) tracking.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("ID"));
        tracking.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("TRACKING").add("ON")
                .add("REDIRECT").add(id).add("BCAST").add("PREFIX").add("told:"));
        tracking.sendCommand(Protocol.Command.SUBSCRIBE, "__redis__:invalidate");
        tracking.getObjectMultiBulkReply();
        assertFalse(tracking.caughtUp(), "the subscription's answer is not yet told");
        tracking.told();
        assertTrue(tracking.caughtUp(), "nothing was sent");
    }

    @Test
    void notCaughtUpWhileAPingIsUnanswered() {
        try (RedisTrackingConnection tracking = tracking(); Jedis admin = server.jedis()) {
            track(tracking);
            // Redis holds the ping's answer back, as it would a telling queued behind the answer.
            admin.clientPause(500, ClientPauseMode.ALL);
            tracking.sendPing();
            RedisTrackingConnection.Mark mark = tracking.mark();
            assertFalse(tracking.caughtUp(), "a telling may wait behind the unanswered ping");
            assertFalse(tracking.toldUpTo(mark), "a telling may wait behind the ping sent by the mark");
            List<?> answer = (List<?>) tracking.getUnflushedObject();
            assertEquals("pong", new String((byte[]) answer.get(0), StandardCharsets.US_ASCII));
            tracking.pingAnswered();
            assertFalse(tracking.caughtUp(), "the answer is read but not yet told");
            tracking.told();
            assertTrue(tracking.caughtUp(), "the ping is answered and told");
            assertTrue(tracking.toldUpTo(mark), "the ping sent by the mark is answered");
        }
    }

    @Test
    void aMarkWaitingForAPingsAnswerWaitsForWhatCameWithIt() throws InterruptedException {
        try (RedisTrackingConnection tracking = tracking(); Jedis admin = server.jedis(); Jedis writer = server.jedis()) {
            track(tracking);
            // The ping and a change wait out the pause together, so Redis runs them in one turn of
            // its loop: the change's telling leaves in the same write as the ping's answer, after it.
            admin.clientPause(500, ClientPauseMode.ALL);
            tracking.sendPing();
            RedisTrackingConnection.Mark mark = tracking.mark();
            Thread write = new Thread(() -> writer.set("told:k", "v"));
            write.start();
            write.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(write.isAlive(), "the write was not answered");
            Thread.sleep(100); // the answer and the telling reach the tracking connection's socket

            List<?> answer = (List<?>) tracking.getUnflushedObject();
            assertEquals("pong", new String((byte[]) answer.get(0), StandardCharsets.US_ASCII));
            tracking.pingAnswered();
            tracking.told();
            assertFalse(tracking.toldUpTo(mark), "the telling that came with the ping's answer is not yet told");
            List<?> telling = (List<?>) tracking.getUnflushedObject();
            assertArrayEquals("told:k".getBytes(StandardCharsets.UTF_8), (byte[]) ((List<?>) telling.get(2)).get(0));
            tracking.told();
            assertTrue(tracking.toldUpTo(mark), "the ping's answer and what came with it are told");
        }
    }

    @Test
    void theFeedTellsAPingsAnswerAndCatchesUp() throws InterruptedException {
        SlowListener listener = new SlowListener();
        try (SessionBackend backend = backend(); Jedis admin = server.jedis();
             InvalidationFeed.Subscription subscription = subscribed(backend, listener)) {
            // Pings go out every second; their answers are held back past several of them (and
            // within the connection's read timeout), so that a slow pinger thread still sends one.
            admin.clientPause(4000, ClientPauseMode.ALL);
            long behindSince = System.nanoTime();
            while (subscription.caughtUp()) {
                assertTrue(System.nanoTime() - behindSince < TimeUnit.SECONDS.toNanos(3),
                        "caught up while the feed's ping was held back");
                Thread.sleep(10);
            }
            assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(30)), "never caught up once the pings were answered");
            assertEquals(1, listener.told.getCount(), "a ping's answer was told as a change");
        }
    }

    @Test
    void aChangeIsWaitingOnTheConnectionWhenTheWriterHasItsAnswer() {
        try (RedisTrackingConnection tracking = tracking(); Jedis writer = server.jedis()) {
            track(tracking);

            for (int i = 0; i < 200; i++) {
                writer.eval("return redis.call('SET', KEYS[1], ARGV[1])", List.of("told:k"), List.of("v" + i));
                assertFalse(tracking.caughtUp(), "the change's telling waits to be read, change " + i);
                List<?> message = (List<?>) tracking.getUnflushedObject();
                assertFalse(tracking.caughtUp(), "a telling read but not yet told, change " + i);
                tracking.told();
                assertTrue(tracking.caughtUp(), "everything told, change " + i);
                assertArrayEquals("told:k".getBytes(StandardCharsets.UTF_8), (byte[]) ((List<?>) message.get(2)).get(0));
            }
            writer.set("other:k", "v");
            assertTrue(tracking.caughtUp(), "keys outside the prefix are not told");
        }
    }

    @Test
    void aMarkIsToldOnceWhatHadArrivedIsToldThoughMoreArrivedSince() {
        try (RedisTrackingConnection tracking = tracking(); Jedis writer = server.jedis()) {
            track(tracking);
            assertTrue(tracking.toldUpTo(tracking.mark()), "nothing had arrived");

            writer.set("told:a", "1");
            RedisTrackingConnection.Mark first = tracking.mark();
            assertFalse(tracking.toldUpTo(first), "the first change's telling waits to be read");
            writer.set("told:b", "2");
            List<?> message = (List<?>) tracking.getUnflushedObject();
            assertArrayEquals("told:a".getBytes(StandardCharsets.UTF_8), (byte[]) ((List<?>) message.get(2)).get(0));
            assertFalse(tracking.toldUpTo(first), "the first telling is read but not yet told");
            tracking.told();
            assertTrue(tracking.toldUpTo(first), "what had arrived by the mark is told");
            assertFalse(tracking.caughtUp(), "the second change's telling is still to be told");
            RedisTrackingConnection.Mark second = tracking.mark();
            assertFalse(tracking.toldUpTo(second), "a mark taken now waits for the second telling");

            tracking.getUnflushedObject();
            tracking.told();
            assertTrue(tracking.toldUpTo(second), "the second telling is told");
            assertTrue(tracking.caughtUp(), "everything told");
        }
    }

    @Test
    void aWaitEndsOnceWhatHadArrivedIsToldThoughTellingsKeepComing() throws InterruptedException {
        HoldingListener listener = new HoldingListener();
        try (SessionBackend backend = backend(); Jedis writer = server.jedis();
             InvalidationFeed.Subscription subscription = subscribed(backend, listener)) {
            writer.set("session:first", "1");
            assertTrue(listener.holding("session:first").await(10, TimeUnit.SECONDS), "the change was not told");

            boolean[] caughtUp = new boolean[1];
            Thread waiter = new Thread(() -> caughtUp[0] = subscription.awaitCaughtUp(Duration.ofSeconds(30)));
            waiter.start();
            long parkedSince = System.nanoTime();
            while (waiter.getState() != Thread.State.TIMED_WAITING) {
                assertTrue(System.nanoTime() - parkedSince < TimeUnit.SECONDS.toNanos(10), "the waiter never waited");
                Thread.sleep(1);
            }
            // A change after the wait began: its telling arrives, and is held, before the one
            // the waiter waits for is done.
            writer.set("session:later", "2");
            listener.release("session:first");
            assertTrue(listener.holding("session:later").await(10, TimeUnit.SECONDS), "the later change was not told");
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(waiter.isAlive(), "the waiter still waits, though what had arrived is told");
            assertTrue(caughtUp[0], "not caught up with what had arrived when the wait began");
            assertFalse(subscription.caughtUp(), "the later telling is still being told");
            listener.release("session:later");
            assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(10)), "never caught up with the later telling");
        }
    }

    @Test
    void aWaitEndsWhenTheTellingUnderWayIsToldAndNotBefore() throws InterruptedException {
        SlowListener listener = new SlowListener();
        try (SessionBackend backend = backend(); Jedis writer = server.jedis();
             InvalidationFeed.Subscription subscription = subscribed(backend, listener)) {
            assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(10)), "nothing was sent, yet behind");

            writer.set("session:k", "v");
            assertTrue(listener.telling.await(10, TimeUnit.SECONDS), "the change was not told");
            assertFalse(subscription.awaitCaughtUp(Duration.ofMillis(1)), "caught up while a telling is under way");
            long start = System.nanoTime();
            assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(30)), "never caught up");
            assertEquals(0, listener.told.getCount(), "caught up before the telling was done");
            // Not a measure of speed: a waiter nobody wakes would sleep out its whole patience.
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "not woken when the telling was done");
        }
    }

    /** Holds the feed's thread in the telling of each change until the test releases it. */
    private static final class HoldingListener extends LiveListener {
        private final Map<String, CountDownLatch> holding = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch> released = new ConcurrentHashMap<>();

        CountDownLatch holding(String key) {
            return holding.computeIfAbsent(key, k -> new CountDownLatch(1));
        }

        void release(String key) {
            released.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
        }

        @Override
        public void invalidated(String key) {
            holding(key).countDown();
            try {
                released.computeIfAbsent(key, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes {@link #TELLING_TAKES} to hear a change, so that a telling is under way long enough to be waited for. */
    private static final class SlowListener extends LiveListener {
        final CountDownLatch telling = new CountDownLatch(1);
        final CountDownLatch told = new CountDownLatch(1);

        @Override
        public void invalidated(String key) {
            telling.countDown();
            try {
                Thread.sleep(TELLING_TAKES.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            told.countDown();
        }
    }

    /** Says when the feed is live, and hears flushes and losses without a word. */
    private abstract static class LiveListener implements InvalidationListener {
        final CountDownLatch live = new CountDownLatch(1);

        @Override
        public void invalidatedAll() {
        }

        @Override
        public void live() {
            live.countDown();
        }

        @Override
        public void lost() {
        }
    }
}
