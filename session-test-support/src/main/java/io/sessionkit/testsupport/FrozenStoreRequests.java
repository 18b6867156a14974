package io.sessionkit.testsupport;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests to a web application whose store server is frozen ({@link StoreServerProcess#suspend()}):
 * every one, with a session cookie or without, must be answered {@code 503} within a bound, not
 * wait for a server that will not answer. Requests go in rounds of several at once, so that they
 * also compete for the store client's connections; a later round finds the connections the
 * earlier one gave up, and has to open new ones to the frozen server.
 *
 * <p>A request that gets no answer within the bound fails the check at once; its thread is a
 * daemon and stays blocked until the server is resumed, which the caller does in a
 * {@code finally}.
 */
public final class FrozenStoreRequests {

    private final Request request;
    private final String cookie;
    private final Duration bound;

    private FrozenStoreRequests(Request request, String cookie, Duration bound) {
        this.request = request;
        this.cookie = cookie;
        this.bound = bound;
    }

    /**
     * One request of the application under test.
     */
    @FunctionalInterface
    public interface Request {

        /**
         * @param cookie a {@code name=value} cookie to send, or {@code null} for none
         * @return the answer
         * @throws Exception when the request itself fails
         */
        HttpResponse<String> send(String cookie) throws Exception;
    }

    /** A counting application: each request adds one to its session's count and answers the count. */
    public interface CountingApplication {

        /**
         * @param cookie a {@code name=value} cookie to send, or {@code null} for none
         * @return the answer
         * @throws Exception when the request itself fails
         */
        HttpResponse<String> count(String cookie) throws Exception;

        /**
         * Counts again and again until a request is answered {@code 200}.
         *
         * @param cookie the session's cookie
         * @param within how long to keep trying
         * @return the first {@code 200}, or the last answer when none came in time
         * @throws Exception when a request itself fails
         */
        HttpResponse<String> countOnceServed(String cookie, Duration within) throws Exception;

        /**
         * @param response an answer that set the session cookie
         * @return that cookie as {@code name=value}
         */
        String cookieOf(HttpResponse<String> response);
    }

    /**
     * What a freeze cost: the longest time a request took to be answered while the server was
     * frozen, and how long after it resumed the stored session was served again.
     *
     * @param longest503 the longest answer while frozen
     * @param recovery   from the resume to the first {@code 200}
     */
    public record Figures(Duration longest503, Duration recovery) {
    }

    /**
     * The whole check: a session counted twice, the store's server frozen while two rounds of
     * four requests must each be answered {@code 503} within {@code answersWithin}, then resumed:
     * the session must be served again, its count intact, within {@code recoversWithin}.
     *
     * @param application    the application on the store
     * @param server         the store's server
     * @param answersWithin  how long each request may take while the server is frozen
     * @param recoversWithin how long after the resume the session must be served again
     * @return the figures, for the test to print
     * @throws AssertionError when a check fails
     * @throws Exception      what a request threw
     */
    public static Figures freezeAndRecover(CountingApplication application, StoreServerProcess server,
                                           Duration answersWithin, Duration recoversWithin) throws Exception {
        HttpResponse<String> first = application.count(null);
        expect(200 == first.statusCode(), "the first request was answered " + first.statusCode() + ": " + first.body());
        String cookie = application.cookieOf(first);
        expect("2".equals(application.count(cookie).body()), "the session was not kept in the store");
        server.suspend();
        Duration longest;
        try {
            longest = of(application::count, cookie, answersWithin).run(2, 4);
        } finally {
            server.resume();
        }
        long resumed = System.nanoTime();
        HttpResponse<String> after = application.countOnceServed(cookie, recoversWithin);
        Duration recovery = Duration.ofNanos(System.nanoTime() - resumed);
        expect(after.statusCode() == 200, "not served again within " + recoversWithin + " of the resume: "
                + after.statusCode() + " " + after.body());
        expect("3".equals(after.body()), "the session stored before the freeze was not served again: " + after.body());
        return new Figures(longest, recovery);
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    /**
     * @param request how to send one request
     * @param cookie  the cookie of a session stored before the freeze; half of the requests send it
     * @param bound   how long each request may take to be answered
     * @return a check to {@linkplain #run run} while the store is frozen
     */
    public static FrozenStoreRequests of(Request request, String cookie, Duration bound) {
        return new FrozenStoreRequests(request, cookie, bound);
    }

    /**
     * Sends {@code rounds} rounds of {@code concurrent} requests at once, half with the cookie
     * and half without, and checks that each is answered {@code 503} within the bound.
     *
     * @param rounds     how many rounds, one after the other
     * @param concurrent how many requests at once in each round, at least 2
     * @return the longest time any request took to be answered
     * @throws AssertionError naming the first request that got another status or no answer in time
     * @throws Exception      what a request threw
     */
    public Duration run(int rounds, int concurrent) throws Exception {
        if (concurrent < 2) {
            throw new IllegalArgumentException("concurrent must be at least 2, to send requests with and without the cookie");
        }
        Duration longest = Duration.ZERO;
        ExecutorService threads = Executors.newFixedThreadPool(concurrent, runnable -> {
            Thread thread = new Thread(runnable, "request-to-frozen-store");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int round = 1; round <= rounds; round++) {
                Duration roundLongest = round(threads, round, concurrent);
                longest = roundLongest.compareTo(longest) > 0 ? roundLongest : longest;
            }
        } finally {
            // Not shutdownNow(): an interrupt could end a hung request as if it had been answered.
            threads.shutdown();
        }
        return longest;
    }

    private Duration round(ExecutorService threads, int round, int concurrent) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            String sent = i % 2 == 0 ? cookie : null;
            answers.add(threads.submit(() -> {
                start.await();
                long started = System.nanoTime();
                HttpResponse<String> response = request.send(sent);
                return new Answer(response, Duration.ofNanos(System.nanoTime() - started));
            }));
        }
        long released = System.nanoTime();
        start.countDown();
        Duration longest = Duration.ZERO;
        for (int i = 0; i < answers.size(); i++) {
            String which = "request " + (i + 1) + " of round " + round + " (" + (i % 2 == 0 ? "with" : "without")
                    + " the session cookie)";
            long waitNanos = Math.max(0, released + bound.toNanos() - System.nanoTime());
            Answer answer;
            try {
                answer = answers.get(i).get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException hung) {
                throw new AssertionError(which + " got no answer within " + bound + " while the store was frozen");
            } catch (ExecutionException failed) {
                throw new AssertionError(which + " failed while the store was frozen: " + failed.getCause(), failed.getCause());
            }
            if (answer.response().statusCode() != 503) {
                throw new AssertionError(which + " was answered " + answer.response().statusCode()
                        + " while the store was frozen, not 503: " + answer.response().body());
            }
            if (answer.took().compareTo(bound) > 0) {
                throw new AssertionError(which + " took " + answer.took() + " to be answered 503, more than " + bound);
            }
            longest = answer.took().compareTo(longest) > 0 ? answer.took() : longest;
        }
        return longest;
    }

    private record Answer(HttpResponse<String> response, Duration took) {
    }
}
