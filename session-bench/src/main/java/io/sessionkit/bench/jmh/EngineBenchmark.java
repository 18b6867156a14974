package io.sessionkit.bench.jmh;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionkit.Session;
import io.sessionkit.bench.Cart;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine's own CPU cost per request, without any I/O: {@link SessionInterface} on a store
 * that keeps bytes in a map. What remains is cookie checking, serialization, change tracking
 * and {@code Set-Cookie} formatting, the part of a request SessionKit can make faster.
 * {@code metrics=micrometer} runs the same requests with {@link SessionKitMetrics} on a Prometheus
 * registry: every backend call timed, every write's size recorded (docs/metrics.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

    /** {@code none}: the engine alone; {@code micrometer}: with session-micrometer's meters. */
    @Param({"none", "micrometer"})
    public String metrics;

    private SessionInterface sessions;
    private String cookie;

    @Setup
    public void prepare() {
        SessionInterface.Builder builder = SessionInterface.builder(SessionConfig.builder().build()).backend(new MapBackend());
        if (metrics.equals("micrometer")) {
            new SessionKitMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).applyTo(builder);
        }
        sessions = builder.build();
        Session session = sessions.open(null);
        session.put(Cart.ATTRIBUTE, Cart.full());
        sessions.save(session);
        cookie = session.id();
    }

    /** Open, read the cart, append an item, save: the cart request. */
    @Benchmark
    public SaveResult cartRequest() {
        Session session = sessions.open(cookie);
        session.put(Cart.ATTRIBUTE, Cart.withOneMore((List<?>) session.get(Cart.ATTRIBUTE)));
        return sessions.save(session);
    }

    /** Open, read the cart, save (which only refreshes the cookie): the read-only request. */
    @Benchmark
    public SaveResult readRequest() {
        Session session = sessions.open(cookie);
        session.get(Cart.ATTRIBUTE);
        return sessions.save(session);
    }

    /** A store in a map, with the one-round-trip read of Redis's {@code GETEX}. */
    static final class MapBackend implements SessionBackend, TouchingLoad {
        private final Map<String, byte[]> entries = new ConcurrentHashMap<>();

        @Override
        public byte[] load(String key) {
            return entries.get(key);
        }

        @Override
        public byte[] loadAndTouch(String key, Duration timeToLive) {
            return entries.get(key);
        }

        @Override
        public void save(String key, byte[] value, Duration timeToLive) {
            entries.put(key, value);
        }

        @Override
        public void touch(String key, Duration timeToLive) {
            // Entries here do not expire.
        }

        @Override
        public void delete(String key) {
            entries.remove(key);
        }

        @Override
        public void close() {
            entries.clear();
        }
    }
}
