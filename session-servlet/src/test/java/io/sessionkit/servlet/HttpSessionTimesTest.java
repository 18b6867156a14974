package io.sessionkit.servlet;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testkit.MutableClock;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code HttpSession}'s times over real HTTP, on a store whose clock the test moves: the
 * creation time is the session's own in every request, the last accessed time is this request's,
 * and {@code setMaxInactiveInterval} sets this session's store time to live and cookie lifetime.
 */
class HttpSessionTimesTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final LockingMemoryBackend backend = new LockingMemoryBackend(clock);
    private SessionInterface engine;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        engine = SessionInterface.create(SessionConfig.builder().fromMap(Map.of("PERMANENT_SESSION_LIFETIME", "PT2H"))
                .clock(clock).build(), backend);
        server = TestServer.start(new SessionKitFilter(engine))
                .route("/put", (request, response) -> request.getSession().setAttribute("k", "v"))
                .route("/times", (request, response) -> {
                    HttpSession session = request.getSession();
                    response.getWriter().print(session.getCreationTime() + " " + session.getLastAccessedTime());
                })
                .route("/put-and-times", (request, response) -> {
                    HttpSession session = request.getSession();
                    session.setAttribute("k", "v");
                    response.getWriter().print(session.getCreationTime() + " " + session.getLastAccessedTime());
                })
                .route("/set-interval", (request, response) -> {
                    HttpSession session = request.getSession();
                    session.setAttribute("k", "v");
                    session.setMaxInactiveInterval(Integer.parseInt(request.getParameter("seconds")));
                    response.getWriter().print(session.getMaxInactiveInterval());
                })
                .route("/interval", (request, response) -> response.getWriter()
                        .print(request.getSession(false) == null ? "no session" : request.getSession(false).getMaxInactiveInterval()))
                .route("/invalidate-then-set-interval", (request, response) -> {
                    HttpSession session = request.getSession();
                    session.invalidate();
                    session.setMaxInactiveInterval(5);
                    response.getWriter().print(session.getMaxInactiveInterval() + " new="
                            + request.getSession().getMaxInactiveInterval());
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        engine.close();
    }

    private String storeKey() {
        return "session:" + browser.cookieValue();
    }

    private static String maxAge(String setCookie) {
        int start = setCookie.indexOf("Max-Age=") + "Max-Age=".length();
        int end = setCookie.indexOf(';', start);
        return setCookie.substring(start, end < 0 ? setCookie.length() : end);
    }

    @Test
    void aNewSessionWasCreatedAndLastAccessedNow() throws Exception {
        assertEquals(START.toEpochMilli() + " " + START.toEpochMilli(), browser.get("/put-and-times").body());
    }

    @Test
    void theCreationTimeIsKeptAcrossRequestsAndTheLastAccessedTimeIsThisRequests() throws Exception {
        browser.get("/put");
        clock.advance(Duration.ofMinutes(5));
        Instant second = clock.instant();
        assertEquals(START.toEpochMilli() + " " + second.toEpochMilli(), browser.get("/times").body());
        clock.advance(Duration.ofMinutes(5));
        browser.get("/put"); // a save rewrites the record: the creation time stays
        clock.advance(Duration.ofMinutes(5));
        assertEquals(START.toEpochMilli() + " " + clock.instant().toEpochMilli(), browser.get("/times").body());
    }

    @Test
    void withoutItsOwnIntervalASessionLivesTheLifetime() throws Exception {
        HttpResponse<String> response = browser.get("/put");
        assertEquals("7200", maxAge(browser.sessionSetCookie(response)));
        assertEquals(Duration.ofHours(2), backend.timeToLive(storeKey()));
        assertEquals("7200", browser.get("/interval").body());
    }

    @Test
    void setMaxInactiveIntervalSetsTheStoreTimeToLiveAndTheCookieLifetime() throws Exception {
        browser.get("/put");
        HttpResponse<String> response = browser.get("/set-interval?seconds=60");
        assertEquals("60", response.body());
        assertEquals("60", maxAge(browser.sessionSetCookie(response)));
        assertEquals(Duration.ofSeconds(60), backend.timeToLive(storeKey()));

        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> readOnly = browser.get("/interval");
        assertEquals("60", readOnly.body(), "kept in the stored record");
        assertEquals("60", maxAge(browser.sessionSetCookie(readOnly)), "a read refreshes the cookie with the session's own timeout");
        assertEquals(Duration.ofSeconds(60), backend.timeToLive(storeKey()), "and the store entry");

        clock.advance(Duration.ofSeconds(61));
        assertEquals("no session", browser.get("/interval").body(), "idle for longer than its own timeout, not the lifetime");
    }

    @Test
    void aNewSessionCanHaveItsOwnIntervalFromTheStart() throws Exception {
        HttpResponse<String> response = browser.get("/set-interval?seconds=600");
        assertEquals("600", maxAge(browser.sessionSetCookie(response)));
        assertEquals(Duration.ofMinutes(10), backend.timeToLive(storeKey()));
    }

    @Test
    void anIntervalOfZeroOrLessMeansFourHundredDays() throws Exception {
        for (String never : new String[] {"0", "-1"}) {
            HttpResponse<String> response = browser.get("/set-interval?seconds=" + never);
            assertEquals("34560000", response.body(), never);
            assertEquals("34560000", maxAge(browser.sessionSetCookie(response)), never);
            assertEquals(Duration.ofDays(400), backend.timeToLive(storeKey()), never);
        }
        clock.advance(Duration.ofDays(399));
        assertEquals("34560000", browser.get("/interval").body());
    }

    @Test
    void afterInvalidateTheOldViewKeepsItsIntervalAndDoesNotChangeTheNewSession() throws Exception {
        browser.get("/set-interval?seconds=60");
        assertEquals("60 new=7200", browser.get("/invalidate-then-set-interval").body());
        assertTrue(backend.keys().isEmpty(), backend.keys().toString());
    }
}
