package io.sessionkit.bench;

import io.sessionkit.bench.jmh.RedisCycleBenchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The CPU this process spends on a request's session work on Redis, SessionKit's against the
 * hand-written minimum's ({@link RedisCycleBenchmark}), by thread CPU time: the time a request
 * waits for Redis, which dominates JMH's wall-clock averages, is not counted, and neither is
 * Redis's own CPU. Rounds alternate between the two, so that drift in a shared machine hits both.
 * <pre>java -cp session-bench/target/benchmarks.jar io.sessionkit.bench.RedisCycleCpu [size] [rounds] [requests per round]</pre>
 * {@code size} is one of the load test's sizes ({@code cart5}, {@code cart20}, {@code 16k}).
 */
public final class RedisCycleCpu {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static int sink;

    private RedisCycleCpu() {
    }

    public static void main(String[] args) throws IOException {
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
        System.out.println("(sink " + sink + ")");
    }

    @FunctionalInterface
    private interface Request {
        int run() throws IOException;
    }

    private static void compare(String name, Request sessionKit, Request handWritten, int rounds, int requests)
            throws IOException {
        for (int i = 0; i < rounds / 3; i++) { // warm-up: both compiled before measuring
            cpuNanosPerRequest(sessionKit, requests);
            cpuNanosPerRequest(handWritten, requests);
        }
        double[] ours = new double[rounds];
        double[] minimum = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                ours[i] = cpuNanosPerRequest(sessionKit, requests);
                minimum[i] = cpuNanosPerRequest(handWritten, requests);
            } else {
                minimum[i] = cpuNanosPerRequest(handWritten, requests);
                ours[i] = cpuNanosPerRequest(sessionKit, requests);
            }
        }
        double medianOurs = median(ours);
        double medianMinimum = median(minimum);
        System.out.printf("%s: SessionKit %.1f us CPU, hand-written %.1f us CPU (median of %d rounds of %d), %.2f x%n",
                name, medianOurs / 1000, medianMinimum / 1000, rounds, requests, medianOurs / medianMinimum);
    }

    private static double cpuNanosPerRequest(Request request, int requests) throws IOException {
        long start = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < requests; i++) {
            sink += request.run();
        }
        return (double) (CPU.getCurrentThreadCpuTime() - start) / requests;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
