package io.sessionkit.bench.jmh;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.bench.Cart;
import io.sessionkit.bench.http.SessionSize;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RedisServerProcess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.GetExParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A session's work with and without {@code SESSION_NEAR_CACHE}, against a private Redis, one
 * thread, one session: the read-only request (open, read the cart, save) and the cart request
 * (open, read, add an item, save). Both engines use {@code SESSION_REFRESH_MIN_INTERVAL=PT5M}, so
 * the only difference is the near cache. {@code handWrittenRead} is the hand-written servlet's
 * read-only request ({@code GETEX} and Jackson), the least a request without a cache can do.
 *
 * <p>The cart cycles run back to back on one session, so each one reads the copy its predecessor
 * wrote microseconds earlier, often before Redis has told it back and the copy is confirmed: the
 * worst case for the near cache, where a browser's next request comes a network trip later.
 *
 * <p>{@code size} is the load test's {@code BENCH_SESSION_SIZE}: the session holds the same
 * attributes as a visitor's there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NearCacheBenchmark {

    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };

    @Param({"cart5", "cart20", "16k"})
    public String size;

    private final ObjectMapper mapper = new ObjectMapper();
    private RedisServerProcess redis;
    private SessionInterface throttled;
    private SessionInterface nearCached;
    private JedisPooled jedis;
    private String throttledId;
    private String nearCachedId;
    private byte[] handWrittenKey;
    private SessionSize visitor;

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        visitor = SessionSize.byLabel(size);
        redis = RedisServerProcess.start();
        throttled = engine(false);
        nearCached = engine(true);
        throttledId = storedCart(throttled);
        nearCachedId = storedCart(nearCached);
        Thread.sleep(200); // the near cache's feed is live and the new session's copy confirmed
        jedis = new JedisPooled("127.0.0.1", redis.port());
        handWrittenKey = ("cart:" + throttledId).getBytes(StandardCharsets.UTF_8);
        jedis.setex(handWrittenKey, SessionConfig.DEFAULT_LIFETIME.toSeconds(),
                mapper.writeValueAsBytes(visitor.newVisitor()));
    }

    private SessionInterface engine(boolean nearCache) {
        SessionConfig.Builder config = SessionConfig.builder().set(ConfigKeys.SESSION_TYPE, "redis")
                .set("SESSION_REDIS", redis.url()).set(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, "PT5M");
        if (nearCache) {
            config.set(ConfigKeys.SESSION_NEAR_CACHE, "10000");
        }
        return SessionInterface.create(config.build());
    }

    private String storedCart(SessionInterface sessions) {
        Session session = sessions.open(null);
        session.putAll(visitor.newVisitor());
        sessions.save(session);
        return session.id();
    }

    @TearDown(Level.Trial)
    public void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {throttled, nearCached, jedis, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Benchmark
    public SaveResult readOnlyThrottled() {
        return readOnly(throttled, throttledId);
    }

    @Benchmark
    public SaveResult readOnlyNearCache() {
        return readOnly(nearCached, nearCachedId);
    }

    @Benchmark
    public SaveResult cartThrottled() {
        return cart(throttled, throttledId);
    }

    @Benchmark
    public SaveResult cartNearCache() {
        return cart(nearCached, nearCachedId);
    }

    @Benchmark
    public long handWrittenRead() throws IOException {
        Map<String, Object> attributes = mapper.readValue(jedis.getEx(handWrittenKey,
                GetExParams.getExParams().ex(SessionConfig.DEFAULT_LIFETIME.toSeconds())), ATTRIBUTES);
        return Cart.totalCents((List<?>) attributes.get(Cart.ATTRIBUTE));
    }

    private static SaveResult readOnly(SessionInterface sessions, String id) {
        Session session = sessions.open(id);
        Cart.totalCents((List<?>) session.get(Cart.ATTRIBUTE));
        return sessions.save(session);
    }

    private SaveResult cart(SessionInterface sessions, String id) {
        Session session = sessions.open(id);
        Cart.addOneTo(session, visitor.cartItems());
        return sessions.save(session);
    }
}
