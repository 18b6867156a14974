package io.sessionkit.redis;

import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the near cache relies on of a tracking connection: a change's telling is waiting on the
 * connection as soon as the writer has its answer, and {@code caughtUp} says so until it is told.
 */
class RedisTrackingConnectionTest {

    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aChangeIsWaitingOnTheConnectionWhenTheWriterHasItsAnswer() {
        try (RedisTrackingConnection tracking = new RedisTrackingConnection(
                new HostAndPort("127.0.0.1", server.port()), DefaultJedisClientConfig.builder().build());
             Jedis writer = server.jedis()) {
            long id = (Long) tracking.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("ID"));
            tracking.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("TRACKING").add("ON")
                    .add("REDIRECT").add(id).add("BCAST").add("PREFIX").add("told:"));
            tracking.sendCommand(Protocol.Command.SUBSCRIBE, "__redis__:invalidate");
            tracking.getObjectMultiBulkReply();
            assertFalse(tracking.caughtUp(), "the subscription's answer is not yet told");
            tracking.told();
            assertTrue(tracking.caughtUp(), "nothing was sent");

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
}
