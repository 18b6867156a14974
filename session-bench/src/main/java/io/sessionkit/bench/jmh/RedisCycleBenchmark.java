package io.sessionkit.bench.jmh;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.bench.Cart;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.JedisPooled;
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
 * append, Jackson write, SETEX), the fair comparison for an application.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisCycleBenchmark {

    private static final long TIME_TO_LIVE_SECONDS = SessionConfig.DEFAULT_LIFETIME.toSeconds();
    private static final TypeReference<List<Object>> ITEMS = new TypeReference<>() { };

    private final ObjectMapper mapper = new ObjectMapper();
    private RedisServerProcess redis;
    private SessionInterface sessions;
    private JedisPooled jedis;
    private String cookie;
    private byte[] rawKey;
    private byte[] rawValue;
    private byte[] handWrittenKey;

    @Setup(Level.Trial)
    public void start() throws IOException {
        redis = RedisServerProcess.start();
        sessions = SessionInterface.create(SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "redis")
                .set("SESSION_REDIS", redis.url())
                .build());
        Session session = sessions.open(null);
        session.put(Cart.ATTRIBUTE, Cart.full());
        sessions.save(session);
        cookie = session.id();

        jedis = new JedisPooled("127.0.0.1", redis.port());
        List<Object> cart = Cart.full();
        rawKey = ("raw:" + cookie).getBytes(StandardCharsets.UTF_8);
        rawValue = new JsonSessionSerializer().serialize(new SessionRecord(Map.of(Cart.ATTRIBUTE, cart), true));
        jedis.set(rawKey, rawValue, SetParams.setParams().ex(TIME_TO_LIVE_SECONDS));
        handWrittenKey = ("cart:" + cookie).getBytes(StandardCharsets.UTF_8);
        jedis.setex(handWrittenKey, TIME_TO_LIVE_SECONDS, mapper.writeValueAsBytes(cart));
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
        session.put(Cart.ATTRIBUTE, Cart.withOneMore((List<?>) session.get(Cart.ATTRIBUTE)));
        return sessions.save(session);
    }

    @Benchmark
    public byte[] jedisGetSet() {
        byte[] stored = jedis.get(rawKey);
        jedis.set(rawKey, rawValue, SetParams.setParams().ex(TIME_TO_LIVE_SECONDS));
        return stored;
    }

    @Benchmark
    public String jedisJsonCartCycle() throws IOException {
        List<Object> cart = mapper.readValue(jedis.get(handWrittenKey), ITEMS);
        return jedis.setex(handWrittenKey, TIME_TO_LIVE_SECONDS, mapper.writeValueAsBytes(Cart.withOneMore(cart)));
    }
}
