package io.sessionkit.bench;

import com.sun.management.OperatingSystemMXBean;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.bench.http.SessionSize;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RedisServerProcess;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * The near cache's cart request in a loop on one thread, over one session or many, against a
 * private Redis: per round the requests made, wall and thread CPU time per request, the CPU time
 * of the whole process per request (which adds the compiler's and collector's threads, and the
 * near cache's own, each of which is also given by name: the tracking connection's reader and
 * the confirmations), the time the
 * JVM spent collecting garbage, and the Redis commands per request. With one session each request
 * follows its own session's previous write at once; with many, a session's next request comes
 * after the others', as in the load test.
 * <pre>java -cp session-bench/target/benchmarks.jar io.sessionkit.bench.NearCacheCartLoop [size] [sessions] [seconds per round] [rounds]</pre>
 * {@code size} is one of the load test's sizes ({@code cart5}, {@code cart20}, {@code 16k}).
 */
public final class NearCacheCartLoop {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private NearCacheCartLoop() {
    }

    public static void main(String[] args) throws Exception {
        SessionSize size = SessionSize.byLabel(args.length > 0 ? args[0] : "16k");
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long roundNanos = (args.length > 2 ? Long.parseLong(args[2]) : 4) * 1_000_000_000L;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        try (RedisServerProcess redis = RedisServerProcess.start();
             SessionInterface engine = SessionInterface.create(SessionConfig.builder()
                     .set(ConfigKeys.SESSION_TYPE, "redis").set("SESSION_REDIS", redis.url())
                     .set(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, "PT5M")
                     .set(ConfigKeys.SESSION_NEAR_CACHE, "10000").build())) {
            String[] ids = new String[sessions];
            for (int i = 0; i < sessions; i++) {
                Session session = engine.open(null);
                session.putAll(size.newVisitor());
                engine.save(session);
                ids[i] = session.id();
            }
            for (int round = 1; round <= rounds; round++) {
                Map<String, Long> callsBefore = redis.commandCalls();
                long cpuBefore = CPU.getCurrentThreadCpuTime();
                long processBefore = PROCESS.getProcessCpuTime();
                Map<String, Long> ownThreadsBefore = sessionKitThreadsCpu();
                long gcBefore = collectionMillis();
                long start = System.nanoTime();
                int requests = 0;
                while (System.nanoTime() - start < roundNanos) {
                    cart(engine, ids[requests % sessions], size);
                    requests++;
                }
                long wall = System.nanoTime() - start;
                long threadCpu = CPU.getCurrentThreadCpuTime() - cpuBefore;
                long processCpu = PROCESS.getProcessCpuTime() - processBefore;
                System.out.printf("%s, %d sessions, round %d: %d requests, %.1f us each, thread CPU %.1f us,"
                                + " process CPU %.1f us (of which %s), GC %d ms; per request %s%n", size.label(),
                        sessions, round, requests, wall / 1000.0 / requests, threadCpu / 1000.0 / requests,
                        processCpu / 1000.0 / requests, microsPerRequest(ownThreadsBefore, sessionKitThreadsCpu(), requests),
                        collectionMillis() - gcBefore, commandsPerRequest(callsBefore, redis.commandCalls(), requests));
            }
        }
    }

    private static void cart(SessionInterface engine, String id, SessionSize size) {
        Session session = engine.open(id);
        Cart.addOneTo(session, size.cartItems());
        engine.save(session);
    }

    /** CPU nanoseconds of each of SessionKit's own threads, by name. */
    private static Map<String, Long> sessionKitThreadsCpu() {
        Map<String, Long> cpu = new TreeMap<>();
        for (ThreadInfo thread : CPU.getThreadInfo(CPU.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith("sessionkit-")) {
                cpu.merge(thread.getThreadName(), Math.max(0, CPU.getThreadCpuTime(thread.getThreadId())), Long::sum);
            }
        }
        return cpu;
    }

    private static long collectionMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }

    /** The commands of the session work, per request: the reads of the counts themselves left out. */
    private static String commandsPerRequest(Map<String, Long> before, Map<String, Long> after, int requests) {
        Map<String, Long> made = new TreeMap<>(after);
        made.remove("info");
        return perRequest(before, made, requests);
    }

    /** CPU nanoseconds of each thread as microseconds per request. */
    private static String microsPerRequest(Map<String, Long> before, Map<String, Long> after, int requests) {
        return perRequest(before, after, requests * 1_000.0);
    }

    private static String perRequest(Map<String, Long> before, Map<String, Long> after, double divisor) {
        Map<String, String> rates = new TreeMap<>();
        after.forEach((name, count) -> {
            long made = count - before.getOrDefault(name, 0L);
            if (made > 0) {
                rates.put(name, String.format("%.2f", made / divisor));
            }
        });
        return rates.toString();
    }
}
