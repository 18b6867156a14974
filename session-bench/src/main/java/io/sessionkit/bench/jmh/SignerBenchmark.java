package io.sessionkit.bench.jmh;

import io.sessionkit.ConfigKeys;
import io.sessionkit.core.HmacSessionIdSigner;
import io.sessionkit.core.SessionConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The HMAC session id signer ({@code SESSION_USE_SIGNER}): signing runs when a cookie is set,
 * verifying on every request that carries one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignerBenchmark {

    // A well-formed id as SessionKit makes them: 32 random bytes in base64url.
    private static final String SESSION_ID = "q3Jx0b9T2mKcVnYl8pR4sWzA7eHfUgDi1oNtLkEjMbQ";

    private HmacSessionIdSigner signer;
    private String signed;

    @Setup
    public void prepare() {
        // The defaults a user gets: SESSION_SIGNER_DIGEST sha256, SESSION_SIGNER_SALT sessionkit.
        signer = HmacSessionIdSigner.from(SessionConfig.builder()
                .set(ConfigKeys.SESSION_USE_SIGNER, "true")
                .set(ConfigKeys.SECRET_KEY, "benchmark secret key of a reasonable length")
                .build());
        signed = signer.sign(SESSION_ID);
        if (!signer.unsign(signed).orElseThrow().equals(SESSION_ID)) {
            throw new IllegalStateException("the signer did not verify its own signature");
        }
    }

    @Benchmark
    public String sign() {
        return signer.sign(SESSION_ID);
    }

    @Benchmark
    public Optional<String> verify() {
        return signer.unsign(signed);
    }
}
