package io.sessionkit.bench;

import io.sessionkit.bench.jmh.EngineBenchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * The CPU cost of session-micrometer on {@link EngineBenchmark}'s requests, by thread CPU time
 * rather than wall time: on a machine shared with other work, the time the thread waits for a
 * core swamps JMH's wall-clock averages, while the CPU the thread itself spends does not count
 * that wait. Rounds of each variant alternate, so that drift in the machine hits both alike.
 * <pre>java -cp session-bench/target/benchmarks.jar io.sessionkit.bench.MetricsCpuCost [rounds] [requests per round]</pre>
 */
public final class MetricsCpuCost {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static int sink;

    private MetricsCpuCost() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        EngineBenchmark plain = engine("none");
        EngineBenchmark metered = engine("micrometer");
        compare("cartRequest", () -> plain.cartRequest().hashCode(), () -> metered.cartRequest().hashCode(), rounds, requests);
        compare("readRequest", () -> plain.readRequest().hashCode(), () -> metered.readRequest().hashCode(), rounds, requests);
        System.out.println("(sink " + sink + ")");
    }

    private static EngineBenchmark engine(String metrics) {
        EngineBenchmark engine = new EngineBenchmark();
        engine.metrics = metrics;
        engine.prepare();
        return engine;
    }

    private static void compare(String name, IntSupplier plain, IntSupplier metered, int rounds, int requests) {
        for (int i = 0; i < rounds / 3; i++) { // warm-up: both compiled before measuring
            cpuNanosPerRequest(plain, requests);
            cpuNanosPerRequest(metered, requests);
        }
        double[] none = new double[rounds];
        double[] micrometer = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                none[i] = cpuNanosPerRequest(plain, requests);
                micrometer[i] = cpuNanosPerRequest(metered, requests);
            } else {
                micrometer[i] = cpuNanosPerRequest(metered, requests);
                none[i] = cpuNanosPerRequest(plain, requests);
            }
        }
        double medianNone = median(none);
        double medianMicrometer = median(micrometer);
        System.out.printf("%s: none %.0f ns CPU, micrometer %.0f ns CPU (median of %d rounds of %d), %+.1f %%%n", name,
                medianNone, medianMicrometer, rounds, requests, 100 * (medianMicrometer / medianNone - 1));
    }

    private static double cpuNanosPerRequest(IntSupplier request, int requests) {
        long start = CPU.getCurrentThreadCpuTime();
        int hash = 0;
        for (int i = 0; i < requests; i++) {
            hash += request.getAsInt();
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
