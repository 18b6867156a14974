package io.sessionkit.bench;

import io.sessionkit.bench.jmh.RedisCycleBenchmark;

/**
 * The CPU this process spends on a request's session work on Redis, SessionKit's against the
 * hand-written minimum's ({@link RedisCycleBenchmark}), by thread CPU time
 * ({@link AlternatingCpuRounds}): the time a request waits for Redis, which dominates JMH's
 * wall-clock averages, is not counted, and neither is Redis's own CPU.
 * <pre>java -cp session-bench/target/benchmarks.jar io.sessionkit.bench.RedisCycleCpu [size] [rounds] [requests per round]</pre>
 * {@code size} is one of the load test's sizes ({@code cart5}, {@code cart20}, {@code 16k}).
 */
public final class RedisCycleCpu {

    private RedisCycleCpu() {
    }

    public static void main(String[] args) throws Exception {
        RedisCycleBenchmark cycles = new RedisCycleBenchmark();
        cycles.size = args.length > 0 ? args[0] : "16k";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        cycles.start();
        try {
            compare(cycles.size + " cart", () -> cycles.sessionKitCartCycle().hashCode(),
                    () -> cycles.jedisJsonCartCycle().hashCode(), rounds, requests);
            compare(cycles.size + " read-only", () -> cycles.sessionKitRead().hashCode(),
                    () -> cycles.jedisJsonRead().hashCode(), rounds, requests);
        } finally {
            cycles.stop();
        }
        System.out.println("(sink " + AlternatingCpuRounds.sink() + ")");
    }

    private static void compare(String name, AlternatingCpuRounds.Request sessionKit,
                                AlternatingCpuRounds.Request handWritten, int rounds, int requests) throws Exception {
        AlternatingCpuRounds.Medians medians = AlternatingCpuRounds.compare(sessionKit, handWritten, rounds, requests);
        System.out.printf("%s: SessionKit %.1f us CPU, hand-written %.1f us CPU (median of %d rounds of %d), %.2f x%n",
                name, medians.first() / 1000, medians.second() / 1000, rounds, requests,
                medians.first() / medians.second());
    }
}
