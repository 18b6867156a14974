package io.sessionkit.bench.jmh;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionkit.bench.Cart;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.micrometer.SessionKitMetrics;
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

import java.util.Map;
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
public class EngineBenchmark extends EngineRequests {

    /** {@code none}: the engine alone; {@code micrometer}: with session-micrometer's meters. */
    @Param({"none", "micrometer"})
    public String metrics;

    @Setup
    public void prepare() {
        SessionInterface.Builder builder = SessionInterface.builder(SessionConfig.builder().build()).backend(new MapBackend());
        if (metrics.equals("micrometer")) {
            new SessionKitMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).applyTo(builder);
        }
        sessions = builder.build();
        saveVisitor(Map.of(Cart.ATTRIBUTE, Cart.full()));
    }
}
