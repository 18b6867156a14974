package io.sessionkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Compares the CPU two variants of a request cost, by the CPU time of the measuring thread rather
 * than wall time: on a machine shared with other work, the time a thread waits for a core (or
 * for a store) swamps wall-clock averages, while the CPU it spends does not count that wait.
 * Rounds of the two variants alternate, after a warm-up of a third as many, so that drift in the
 * machine hits both alike; each result is the median round.
 */
final class AlternatingCpuRounds {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static int sink;

    /** One variant of a request; its answer is kept from the compiler's dead-code elimination. */
    @FunctionalInterface
    interface Request {
        int run() throws Exception;
    }

    /** The median CPU nanoseconds per request of each variant. */
    record Medians(double first, double second) {
    }

    private AlternatingCpuRounds() {
    }

    static Medians compare(Request first, Request second, int rounds, int requests) throws Exception {
        for (int i = 0; i < rounds / 3; i++) {
            cpuNanosPerRequest(first, requests);
            cpuNanosPerRequest(second, requests);
        }
        double[] firsts = new double[rounds];
        double[] seconds = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                firsts[i] = cpuNanosPerRequest(first, requests);
                seconds[i] = cpuNanosPerRequest(second, requests);
            } else {
                seconds[i] = cpuNanosPerRequest(second, requests);
                firsts[i] = cpuNanosPerRequest(first, requests);
            }
        }
        return new Medians(median(firsts), median(seconds));
    }

    /** @return what the requests answered, summed, so that a caller can print it */
    static int sink() {
        return sink;
    }

    private static double cpuNanosPerRequest(Request request, int requests) throws Exception {
        long start = CPU.getCurrentThreadCpuTime();
        int hash = 0;
        for (int i = 0; i < requests; i++) {
            hash += request.run();
        }
        sink += hash;
        return (CPU.getCurrentThreadCpuTime() - start) / (double) requests;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
