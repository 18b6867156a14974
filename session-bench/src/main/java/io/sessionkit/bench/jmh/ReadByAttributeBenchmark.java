package io.sessionkit.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.bench.http.SessionSize;
import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
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

import java.util.concurrent.TimeUnit;

/**
 * The engine's cart and read-only requests without I/O, at the load test's session sizes, with
 * stored JSON read by attribute (SessionKit's own mapper) or whole (an application's mapper,
 * which the engine reads whole): what reading only the attributes a request reaches, and writing
 * the others as the bytes they were, saves or costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReadByAttributeBenchmark extends EngineRequests {

    @Param({"cart5", "cart20", "16k"})
    public String size;

    /** {@code attribute}: SessionKit's mapper, read by attribute; {@code whole}: an application's mapper, read whole. */
    @Param({"attribute", "whole"})
    public String read;

    @Setup
    public void prepare() {
        SessionInterface.Builder builder = SessionInterface.builder(SessionConfig.builder().build())
                .backend(new MapBackend());
        if (read.equals("whole")) {
            builder.serializer(new JsonSessionSerializer(new ObjectMapper()));
        }
        sessions = builder.build();
        SessionSize visitor = SessionSize.byLabel(size);
        cartItems = visitor.cartItems();
        saveVisitor(visitor.newVisitor());
    }
}
