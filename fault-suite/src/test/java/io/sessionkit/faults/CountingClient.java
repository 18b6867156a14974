package io.sessionkit.faults;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A browser with one session whose counter it increments ({@code POST /count}) one request at a
 * time, keeping the last value the application acknowledged with {@code 200}.
 *
 * <p>A write answered {@code 503} (or not answered) may still have reached the store, as when
 * the store is killed between applying a write and replying. So after {@code n} such writes the
 * next acknowledged value may lie anywhere from {@code acknowledged + 1} to
 * {@code acknowledged + 1 + n}; anything lower means an acknowledged write was lost, anything
 * higher a value that nobody wrote. Both are recorded as {@linkplain #problems() problems}, as is
 * any answer other than {@code 200} or {@code 503}.
 *
 * <p>Its state is written by its own thread and read by others only after {@link #run()}
 * returned, except {@link #acknowledged()} and {@link #acknowledgedSince(long)}, which are safe
 * to read at any time.
 */
class CountingClient implements Runnable {

    static final String COOKIE_NAME = "session";

    private final String name;
    private final HttpClient http;
    private final FaultApplication application;
    private final LoadLimits limits;
    private final AtomicBoolean stop;
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile String sessionId;
    private volatile int acknowledged;
    private volatile long lastAcknowledgedSentAt;
    private int unacknowledgedWrites;
    private boolean lostAcknowledgedWrites;

    /**
     * @param name        for messages
     * @param http        the HTTP client, shared
     * @param application the application under load
     * @param limits      think time, request budget, answer timeout
     * @param stop        set when the scenario ends
     */
    CountingClient(String name, HttpClient http, FaultApplication application, LoadLimits limits, AtomicBoolean stop) {
        this.name = name;
        this.http = http;
        this.application = application;
        this.limits = limits;
        this.stop = stop;
    }

    @Override
    public final void run() {
        for (int step = 0; step < limits.maxRequests() && !stop.get(); step++) {
            step(step);
            try {
                Thread.sleep(limits.thinkTime().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Sends the client's next request.
     *
     * @param step how many requests the client sent before this one
     */
    protected void step(int step) {
        count();
    }

    /** {@code POST /count}, checked against what was acknowledged before. */
    protected final void count() {
        HttpRequest.Builder request = request("/count").POST(HttpRequest.BodyPublishers.noBody());
        Exchange exchange = send(Answer.Kind.COUNT, request);
        if (exchange.response == null) {
            unacknowledgedWrites++;
            return;
        }
        HttpResponse<String> response = exchange.response;
        if (response.statusCode() == 503) {
            unacknowledgedWrites++;
            if (!response.body().startsWith("503 Service Unavailable")) {
                problem("503 without the filter's plain-text answer: " + response.body());
            }
            return;
        }
        if (response.statusCode() != 200) {
            unacknowledgedWrites++;
            problem("POST /count answered " + response.statusCode() + ": " + response.body());
            return;
        }
        int value = Integer.parseInt(response.body().trim());
        Optional<String> cookie = sessionCookie(response);
        if (sessionId == null) {
            if (cookie.isEmpty()) {
                problem("the first acknowledged write set no session cookie");
                return;
            }
            sessionId = cookie.get();
        } else if (cookie.isPresent() && !cookie.get().equals(sessionId)) {
            problem("the session was replaced by a new one after " + acknowledged + " acknowledged writes (answer " + value + ")");
            sessionId = cookie.get();
        }
        int lowest = acknowledged + 1;
        int highest = acknowledged + 1 + unacknowledgedWrites;
        if (value < lowest) {
            lostAcknowledgedWrites = true;
        }
        if (value < lowest || value > highest) {
            problem("acknowledged " + acknowledged + " with " + unacknowledgedWrites + " unacknowledged writes since,"
                    + " then was answered " + value + " (expected " + lowest + ".." + highest + ")");
        }
        acknowledged = value;
        lastAcknowledgedSentAt = exchange.answer.sentNanos();
        unacknowledgedWrites = 0;
    }

    /**
     * Sends a request on the client's own session and records its answer.
     *
     * @return the response, or one without a response when the exchange failed (recorded as a problem)
     */
    protected final Exchange send(Answer.Kind kind, HttpRequest.Builder request) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Answer answer = new Answer(kind, sent, System.nanoTime(), response.statusCode());
            answers.add(answer);
            return new Exchange(answer, response);
        } catch (IOException e) {
            Answer answer = new Answer(kind, sent, System.nanoTime(), Answer.NO_ANSWER);
            answers.add(answer);
            problem(kind + " got no answer: " + e);
            return new Exchange(answer, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(new Answer(kind, sent, System.nanoTime(), Answer.NO_ANSWER), null);
        }
    }

    /**
     * @param path the application's path
     * @return a request carrying this client's session cookie, once it has one
     */
    protected final HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(application.uri(path)).timeout(limits.requestTimeout());
        if (sessionId != null) {
            request.header("Cookie", COOKIE_NAME + "=" + sessionId);
        }
        return request;
    }

    /**
     * @param path the application's path
     * @return a request without this client's cookie
     */
    protected final HttpRequest.Builder requestWithoutSession(String path) {
        return HttpRequest.newBuilder(application.uri(path)).timeout(limits.requestTimeout());
    }

    protected final void problem(String text) {
        problems.add(name + ": " + text);
    }

    private static Optional<String> sessionCookie(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            if (pair.startsWith(COOKIE_NAME + "=") && pair.length() > COOKIE_NAME.length() + 1) {
                return Optional.of(pair.substring(COOKIE_NAME.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** @return for messages */
    final String name() {
        return name;
    }

    /** @return the session id, or {@code null} while no write was acknowledged */
    final String sessionId() {
        return sessionId;
    }

    /** @return the counter's last acknowledged value; 0 before the first */
    final int acknowledged() {
        return acknowledged;
    }

    /**
     * @param nanos a {@link System#nanoTime()}
     * @return whether a write sent at or after that time was acknowledged
     */
    final boolean acknowledgedSince(long nanos) {
        return acknowledged > 0 && lastAcknowledgedSentAt - nanos >= 0;
    }

    /** @return writes answered other than {@code 200} since the last acknowledged one: each may have been stored */
    final int unacknowledgedWrites() {
        return unacknowledgedWrites;
    }

    /** @return whether an answer showed that writes acknowledged before were lost */
    final boolean lostAcknowledgedWrites() {
        return lostAcknowledgedWrites;
    }

    /** @return every answer, in the order sent */
    final List<Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    /** @return what went against the rules above */
    final List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /**
     * A request's recorded answer and its response.
     *
     * @param answer   as recorded
     * @param response the response, or {@code null} when the exchange failed
     */
    protected record Exchange(Answer answer, HttpResponse<String> response) {
    }
}
