package io.sessionkit.bench.jmh;

import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.spi.SessionRecord;
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

import java.util.concurrent.TimeUnit;

/**
 * SessionKit's JSON serializer on a small (~200 B) and a large (~50 KB) session: what a
 * modifying request pays to write its session, and what every loading request pays to read it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerializerBenchmark {

    @Param({"small", "large"})
    public String size;

    private final JsonSessionSerializer serializer = new JsonSessionSerializer();
    private SessionRecord session;
    private byte[] encoded;

    @Setup
    public void prepare() {
        session = new SessionRecord(SessionPayloads.of(size), true);
        encoded = serializer.serialize(session);
        int expected = size.equals("small") ? 200 : 50_000;
        if (encoded.length < expected / 2 || encoded.length > expected * 2) {
            throw new IllegalStateException("the " + size + " session encodes to " + encoded.length
                    + " bytes, far from the intended ~" + expected + "; adjust SessionPayloads");
        }
    }

    @Benchmark
    public byte[] encode() {
        return serializer.serialize(session);
    }

    @Benchmark
    public SessionRecord decode() {
        return serializer.deserialize(encoded);
    }
}
