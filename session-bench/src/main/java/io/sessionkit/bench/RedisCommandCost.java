package io.sessionkit.bench;

import io.sessionkit.ConfigKeys;
import io.sessionkit.bench.http.SessionSize;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.VersionedEntry;
import io.sessionkit.testsupport.RedisServerProcess;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.GetExParams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Redis's own time per command (its {@code INFO commandstats}) for the cart request's commands:
 * the hand-written servlet's {@code GETEX} and {@code SETEX}, and SessionKit's read and
 * conditional save through the Redis backend, on a private Redis. Reading and writing the socket
 * is left out of these times, and costs both sides alike.
 * <pre>java -cp session-bench/target/benchmarks.jar io.sessionkit.bench.RedisCommandCost [size] [calls]</pre>
 * {@code size} is one of the load test's sizes ({@code cart5}, {@code cart20}, {@code 16k}).
 */
public final class RedisCommandCost {

    private static final Duration TIME_TO_LIVE = Duration.ofDays(31);

    private RedisCommandCost() {
    }

    public static void main(String[] args) throws Exception {
        SessionSize size = SessionSize.byLabel(args.length > 0 ? args[0] : "16k");
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        byte[] session = new JsonSessionSerializer().serialize(new SessionRecord(size.newVisitor(), true));
        try (RedisServerProcess redis = RedisServerProcess.start();
             Jedis jedis = new Jedis("127.0.0.1", redis.port());
             SessionBackend backend = BackendRegistry.load().create(SessionConfig.builder()
                     .set(ConfigKeys.SESSION_TYPE, "redis").set("SESSION_REDIS", redis.url()).build())) {
            ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
            ExpiryReportingLoad reads = backend.capability(ExpiryReportingLoad.class).orElseThrow();
            byte[] handWritten = "cart:hand-written".getBytes(StandardCharsets.UTF_8);
            String key = "session:sessionkit";
            // Two values a save alternates between, so that every save changes the entry.
            byte[][] values = {session, (new String(session, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8)};
            jedis.setex(handWritten, TIME_TO_LIVE.toSeconds(), session);
            writes.create(key, session, TIME_TO_LIVE);
            jedis.configResetStat();
            for (int i = 1; i <= calls; i++) {
                jedis.getEx(handWritten, GetExParams.getExParams().ex(TIME_TO_LIVE.toSeconds()));
                jedis.setex(handWritten, TIME_TO_LIVE.toSeconds(), values[i % 2]);
                // As SessionKit reads with SESSION_REFRESH_MIN_INTERVAL set, then saves.
                VersionedEntry read = reads.loadWithExpiry(key);
                if (!writes.replace(key, read.version(), values[i % 2], TIME_TO_LIVE)) {
                    throw new IllegalStateException("the conditional save was refused");
                }
            }
            System.out.printf("%s, %d bytes of JSON, %d calls each:%n", size.label(), session.length, calls);
            for (String line : jedis.info("commandstats").split("\r\n")) {
                if (line.startsWith("cmdstat_")) {
                    System.out.println("  " + line);
                }
            }
        }
    }
}
