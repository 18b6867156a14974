package io.sessionkit.bench;

import io.sessionkit.bench.jmh.EngineBenchmark;

/**
 * The CPU cost of session-micrometer on {@link EngineBenchmark}'s requests, by thread CPU time
 * rather than wall time ({@link AlternatingCpuRounds}): on a machine shared with other work, the
 * time the thread waits for a core swamps JMH's wall-clock averages.
 * <pre>java -cp session-bench/target/benchmarks.jar io.sessionkit.bench.MetricsCpuCost [rounds] [requests per round]</pre>
 */
public final class MetricsCpuCost {

    private MetricsCpuCost() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        EngineBenchmark plain = engine("none");
        EngineBenchmark metered = engine("micrometer");
        compare("cartRequest", () -> plain.cartRequest().hashCode(), () -> metered.cartRequest().hashCode(), rounds, requests);
        compare("readRequest", () -> plain.readRequest().hashCode(), () -> metered.readRequest().hashCode(), rounds, requests);
        System.out.println("(sink " + AlternatingCpuRounds.sink() + ")");
    }

    private static EngineBenchmark engine(String metrics) {
        EngineBenchmark engine = new EngineBenchmark();
        engine.metrics = metrics;
        engine.prepare();
        return engine;
    }

    private static void compare(String name, AlternatingCpuRounds.Request plain, AlternatingCpuRounds.Request metered,
                                int rounds, int requests) throws Exception {
        AlternatingCpuRounds.Medians medians = AlternatingCpuRounds.compare(plain, metered, rounds, requests);
        System.out.printf("%s: none %.0f ns CPU, micrometer %.0f ns CPU (median of %d rounds of %d), %+.1f %%%n", name,
                medians.first(), medians.second(), rounds, requests, 100 * (medians.second() / medians.first() - 1));
    }
}
