package io.sessionkit.faults;

import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One store, one fault, under load: {@value #CLIENTS} counting clients and one misbehaving client
 * run against {@link FaultApplication} until each has a write acknowledged, a few seconds more,
 * then through the fault, until each has a write acknowledged again after the store is back, and
 * two seconds more. Then the sessions are audited in the store.
 *
 * <p>Bounded: each phase has a deadline, each client a request budget and an answer timeout
 * ({@link LoadLimits}).
 */
final class FaultScenario {

    /** Concurrent counting clients, besides the misbehaving one. */
    static final int CLIENTS = 32;
    /** {@code SESSION_MAX_SIZE} of the application: a counter session is far smaller. */
    static final int MAX_SESSION_SIZE = 4096;

    private static final Duration FIRST_WRITES_WITHIN = Duration.ofSeconds(20);
    private static final Duration BEFORE_FAULT = Duration.ofSeconds(3);
    /** Generous: only a store that never comes back, or a client stuck for good, reaches it. */
    private static final Duration RECOVERY_WITHIN = Duration.ofSeconds(30);
    private static final Duration AFTER_RECOVERY = Duration.ofSeconds(2);

    private final String store;
    private final SessionConfig config;
    private final LoadLimits limits;
    private String logNeedle;

    /**
     * @param store  the store's name in the results, such as {@code redis, appendfsync always}
     * @param config the application's configuration; {@code SESSION_MAX_SIZE} is set here
     */
    FaultScenario(String store, SessionConfig.Builder config) {
        this.store = store;
        this.config = config.set("SESSION_MAX_SIZE", MAX_SESSION_SIZE).build();
        this.limits = LoadLimits.DEFAULT;
    }

    /**
     * @param text what at least one line logged during the run must contain, such as the operating
     *             system's error; the scenario records a problem when none does
     * @return this scenario
     */
    FaultScenario logSampleContaining(String text) {
        this.logNeedle = text;
        return this;
    }

    /**
     * Runs the scenario.
     *
     * @param fault what to do to the store once the clients have sessions
     * @return what was measured and found
     * @throws Exception when the application cannot start or the fault cannot be played
     */
    ScenarioResult run(StoreFault fault) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<String> problems = new ArrayList<>();
        FaultTimeline timeline = new FaultTimeline();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (CapturedLog log = CapturedLog.start(); FaultApplication application = FaultApplication.start(config)) {
            List<CountingClient> clients = new ArrayList<>();
            for (int i = 1; i <= CLIENTS; i++) {
                clients.add(new CountingClient("client " + i, http, application, limits, stop));
            }
            MisbehavingClient misbehaving = new MisbehavingClient("misbehaving client", http, application, limits, stop,
                    MAX_SESSION_SIZE);
            clients.add(misbehaving);
            List<Thread> threads = new ArrayList<>();
            for (CountingClient client : clients) {
                Thread thread = new Thread(client, "fault-" + client.name().replace(' ', '-'));
                thread.start();
                threads.add(thread);
            }
            long started = System.nanoTime();
            try {
                if (!await(clients, client -> client.acknowledged() > 0, FIRST_WRITES_WITHIN)) {
                    throw new AssertionError("not every client had a write acknowledged within " + FIRST_WRITES_WITHIN
                            + " before the fault: " + store + " did not work to begin with");
                }
                Thread.sleep(BEFORE_FAULT.toMillis());
                fault.play(timeline);
                long back = timeline.storeBack();
                await(clients, client -> client.acknowledgedSince(back), RECOVERY_WITHIN);
                Thread.sleep(AFTER_RECOVERY.toMillis());
            } finally {
                stop.set(true);
                for (Thread thread : threads) {
                    thread.join(limits.requestTimeout().plusSeconds(5).toMillis());
                    if (thread.isAlive()) {
                        problems.add(thread.getName() + " did not stop");
                        thread.interrupt();
                    }
                }
            }
            Duration length = Duration.ofNanos(System.nanoTime() - started);
            clients.forEach(client -> problems.addAll(client.problems()));
            SessionAudit audit;
            try (SessionBackend inspector = BackendRegistry.load().create(config)) {
                audit = SessionAudit.of(inspector, config.keyPrefix(), clients);
            }
            String sample = logNeedle != null ? log.firstLineContaining(logNeedle) : log.firstLineContaining("answered 503");
            if (logNeedle != null && sample == null) {
                problems.add("no log line said '" + logNeedle + "'");
            }
            return new ScenarioResult(store, fault.description(), clients.size(), length, requests(clients),
                    unavailable(clients), slowestAnswer(clients),
                    (int) clients.stream().filter(CountingClient::lostAcknowledgedWrites).count(),
                    longest503After(timeline, clients), allServedAfter(timeline, clients),
                    refusals(misbehaving), audit, log.errors(), sample, List.copyOf(problems));
        }
    }

    private static boolean await(List<CountingClient> clients, Predicate<CountingClient> condition, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!clients.stream().allMatch(condition)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static long requests(List<CountingClient> clients) {
        return clients.stream().mapToLong(client -> client.answers().size()).sum();
    }

    private static long unavailable(List<CountingClient> clients) {
        return clients.stream().flatMap(client -> client.answers().stream()).filter(answer -> answer.status() == 503).count();
    }

    private static Duration slowestAnswer(List<CountingClient> clients) {
        return Duration.ofNanos(clients.stream().flatMap(client -> client.answers().stream())
                .mapToLong(answer -> answer.answeredNanos() - answer.sentNanos()).max().orElse(0));
    }

    /**
     * The longest unbroken run of {@code 503}s of one client that lasted past the store's return,
     * counted from that return to the run's last {@code 503}.
     */
    private static Duration longest503After(FaultTimeline timeline, List<CountingClient> clients) {
        long back = timeline.storeBack();
        long longest = 0;
        for (CountingClient client : clients) {
            Long runStart = null;
            long runEnd = 0;
            for (Answer answer : client.answers()) {
                if (answer.status() == 503) {
                    runStart = runStart == null ? answer.sentNanos() : runStart;
                    runEnd = answer.answeredNanos();
                    if (runEnd - back > 0) {
                        longest = Math.max(longest, runEnd - Math.max(runStart, back));
                    }
                } else {
                    runStart = null;
                }
            }
        }
        return Duration.ofNanos(longest);
    }

    /** From the store's return until the last client had its first write acknowledged after it. */
    private static Duration allServedAfter(FaultTimeline timeline, List<CountingClient> clients) {
        long back = timeline.storeBack();
        long last = 0;
        for (CountingClient client : clients) {
            Long first = client.answers().stream()
                    .filter(answer -> answer.kind() == Answer.Kind.COUNT && answer.status() == 200 && answer.sentNanos() - back >= 0)
                    .map(Answer::answeredNanos).findFirst().orElse(null);
            if (first == null) {
                return null;
            }
            last = Math.max(last, first - back);
        }
        return Duration.ofNanos(last);
    }

    private static Map<String, Long> refusals(MisbehavingClient client) {
        Map<String, Long> counts = new TreeMap<>();
        for (Answer answer : client.answers()) {
            if (answer.kind() != Answer.Kind.COUNT) {
                counts.merge(answer.kind() + " " + answer.status(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
