package io.sessionkit.bench.jmh;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.bench.Cart;
import io.sessionkit.bench.http.SessionSize;
import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.SessionRecord;
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
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One cart request's session work against a private Redis: open the session from its cookie,
 * read the cart, add an item, save. Beside it, the raw client doing the same store operations:
 * {@code jedisGetSet} sends the same two commands with the same bytes and nothing else, so
 * {@code sessionKitCartCycle / jedisGetSet} is the framework's whole overhead, serialization
 * included; {@code jedisJsonCartCycle} is the hand-written servlet's work (GET, Jackson read,
 * append, Jackson write, SETEX), the fair comparison for an application. {@code sessionKitRead}
 * and {@code jedisJsonRead} are the read-only request: the session read with its expiry extended
 * ({@code GETEX}), the cart taken from it.
 *
 * <p>{@code size} is the load test's {@code BENCH_SESSION_SIZE}: the session holds the same
 * attributes as a visitor's there, and the cart request replaces only the cart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisCycleBenchmark {

    private static final long TIME_TO_LIVE_SECONDS = SessionConfig.DEFAULT_LIFETIME.toSeconds();
    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };

    @Param({"cart5", "cart20", "16k"})
    public String size;

    private final ObjectMapper mapper = new ObjectMapper();
    private RedisServerProcess redis;
    private SessionInterface sessions;
    private JedisPooled jedis;
    private String cookie;
    private byte[] rawKey;
    private byte[] rawValue;
    private byte[] handWrittenKey;
    private int cartItems;

    @Setup(Level.Trial)
    public void start() throws IOException {
        redis = RedisServerProcess.start();
        sessions = SessionInterface.create(SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "redis")
                .set("SESSION_REDIS", redis.url())
                .build());
        SessionSize visitor = SessionSize.byLabel(size);
        cartItems = visitor.cartItems();
        Session session = sessions.open(null);
        session.putAll(visitor.newVisitor());
        sessions.save(session);
        cookie = session.id();

        jedis = new JedisPooled("127.0.0.1", redis.port());
        rawKey = ("raw:" + cookie).getBytes(StandardCharsets.UTF_8);
        rawValue = new JsonSessionSerializer().serialize(new SessionRecord(visitor.newVisitor(), true));
        jedis.set(rawKey, rawValue, SetParams.setParams().ex(TIME_TO_LIVE_SECONDS));
        handWrittenKey = ("cart:" + cookie).getBytes(StandardCharsets.UTF_8);
        jedis.setex(handWrittenKey, TIME_TO_LIVE_SECONDS, mapper.writeValueAsBytes(visitor.newVisitor()));
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (sessions != null) {
            sessions.close();
        }
        if (jedis != null) {
            jedis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Benchmark
    public SaveResult sessionKitCartCycle() {
        Session session = sessions.open(cookie);
        Cart.addOneTo(session, cartItems);
        return sessions.save(session);
    }

    @Benchmark
    public Object sessionKitRead() {
        Session session = sessions.open(cookie);
        Object cart = session.get(Cart.ATTRIBUTE);
        sessions.save(session);
        return cart;
    }

    @Benchmark
    public byte[] jedisGetSet() {
        byte[] stored = jedis.get(rawKey);
        jedis.set(rawKey, rawValue, SetParams.setParams().ex(TIME_TO_LIVE_SECONDS));
        return stored;
    }

    @Benchmark
    public String jedisJsonCartCycle() throws IOException {
        Map<String, Object> attributes = mapper.readValue(jedis.get(handWrittenKey), ATTRIBUTES);
        attributes.put(Cart.ATTRIBUTE, Cart.withOneMore((List<?>) attributes.get(Cart.ATTRIBUTE), cartItems));
        return jedis.setex(handWrittenKey, TIME_TO_LIVE_SECONDS, mapper.writeValueAsBytes(attributes));
    }

    @Benchmark
    public Object jedisJsonRead() throws IOException {
        byte[] stored = jedis.getEx(handWrittenKey, GetExParams.getExParams().ex(TIME_TO_LIVE_SECONDS));
        return mapper.readValue(stored, ATTRIBUTES).get(Cart.ATTRIBUTE);
    }
}
