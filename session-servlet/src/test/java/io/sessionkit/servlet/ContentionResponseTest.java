package io.sessionkit.servlet;

import io.sessionkit.SessionConflictException;
import io.sessionkit.SessionLockTimeoutException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two requests of one session at once, over real HTTP: with {@code SESSION_CONFLICT=fail} the
 * one that read and wrote an attribute the other changed meanwhile is answered 409; with
 * {@code SESSION_LOCKING} one that cannot get the session's lock in time is answered 503 with
 * {@code Retry-After}. Both even when the application caught the exception.
 */
class ContentionResponseTest {

    private final LockingMemoryBackend backend = new LockingMemoryBackend(Clock.systemUTC());
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private final FilterLog log = new FilterLog();
    /** Counted down by a slow route once it has read the session. */
    private final CountDownLatch read = new CountDownLatch(1);
    /** Counted down by the test to let a slow route carry on. */
    private final CountDownLatch proceed = new CountDownLatch(1);
    private final AtomicInteger lockAttemptsOfTheRetry = new AtomicInteger(-1);
    private SessionInterface engine;
    private TestServer server;
    private TestBrowser browser;

    private void start(Map<String, String> settings) throws Exception {
        engine = SessionInterface.create(SessionConfig.builder().fromMap(settings).build(), backend);
        server = TestServer.start(new SessionKitFilter(engine))
                .route("/count", (request, response) -> response.getWriter().print("count=" + increment(request)))
                .route("/read", (request, response) -> response.getWriter()
                        .print("count=" + request.getSession().getAttribute("count")))
                .route("/slow-count", (request, response) -> {
                    int count = readThenWait(request);
                    request.getSession().setAttribute("count", count + 1);
                    response.getWriter().print("count=" + (count + 1));
                })
                .route("/slow-count-swallowing-at-flush", (request, response) -> {
                    int count = readThenWait(request);
                    request.getSession().setAttribute("count", count + 1);
                    try {
                        response.flushBuffer();
                    } catch (SessionConflictException swallowed) {
                        response.getWriter().print("all is fine");
                    }
                })
                .route("/hold", (request, response) -> response.getWriter().print("held count=" + readThenWait(request)))
                .route("/read-swallowing", (request, response) -> {
                    HttpSession session = request.getSession();
                    try {
                        session.getAttribute("count");
                    } catch (SessionLockTimeoutException swallowed) {
                        int before = backend.lockAttempts.get();
                        try {
                            session.getAttribute("count");
                        } catch (SessionLockTimeoutException again) {
                            lockAttemptsOfTheRetry.set(backend.lockAttempts.get() - before);
                        }
                        response.getWriter().print("all is fine");
                    }
                });
        browser = new TestBrowser(server);
    }

    private static int increment(HttpServletRequest request) {
        HttpSession session = request.getSession();
        Object count = session.getAttribute("count");
        int next = count == null ? 1 : ((Number) count).intValue() + 1;
        session.setAttribute("count", next);
        return next;
    }

    private int readThenWait(HttpServletRequest request) throws InterruptedException {
        Object count = request.getSession().getAttribute("count");
        read.countDown();
        assertTrue(proceed.await(10, TimeUnit.SECONDS), "the test let the slow request go on");
        return ((Number) count).intValue();
    }

    /** Sends a GET with the browser's current cookie on another thread. */
    private Future<HttpResponse<String>> inBackground(String path) {
        String cookie = "session=" + browser.cookieValue();
        return background.submit(() -> browser.getWithCookieHeader(path, cookie));
    }

    @AfterEach
    void stop() throws Exception {
        proceed.countDown();
        background.shutdownNow();
        if (server != null) {
            server.close();
            engine.close();
        }
        log.close();
    }

    private void assertPlainAnswer(HttpResponse<String> response, int status, String phrase) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                response.headers().map().toString());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(response.body().contains(phrase), response.body());
        assertFalse(response.body().contains("Exception"), "no exception names in the body: " + response.body());
        assertTrue(response.body().length() < 200, "a short body");
        assertNull(browser.sessionSetCookie(response), "no cookie on an error answer");
    }

    @Test
    void aConflictingSaveIsAnswered409AndTheOtherRequestsValueIsKept() throws Exception {
        start(Map.of("SESSION_CONFLICT", "fail"));
        assertEquals("count=1", browser.get("/count").body());
        Future<HttpResponse<String>> slow = inBackground("/slow-count");
        assertTrue(read.await(10, TimeUnit.SECONDS));
        assertEquals("count=2", browser.get("/count").body(), "the quick request saves first");
        proceed.countDown();

        HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
        assertPlainAnswer(response, 409, "another request changed this session");
        assertTrue(response.headers().firstValue("Retry-After").isEmpty(), "409 asks for no wait");
        assertTrue(log.contains(Level.WARNING, "GET /slow-count failed: another request changed [count]"),
                "logged: " + log.records());
        assertEquals("count=2", browser.get("/read").body(), "the stored session keeps the other request's value");
    }

    @Test
    void aConflictTheApplicationSwallowedAtAFlushIsStillAnswered409() throws Exception {
        start(Map.of("SESSION_CONFLICT", "fail"));
        browser.get("/count");
        Future<HttpResponse<String>> slow = inBackground("/slow-count-swallowing-at-flush");
        assertTrue(read.await(10, TimeUnit.SECONDS));
        browser.get("/count");
        proceed.countDown();

        HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
        assertPlainAnswer(response, 409, "another request changed this session");
        assertFalse(response.body().contains("all is fine"));
        assertEquals("count=2", browser.get("/read").body());
    }

    @Test
    void withoutFailTheSameRaceKeepsTheLastWritersValue() throws Exception {
        start(Map.of());
        browser.get("/count");
        Future<HttpResponse<String>> slow = inBackground("/slow-count");
        assertTrue(read.await(10, TimeUnit.SECONDS));
        browser.get("/count");
        proceed.countDown();

        assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals("count=2", browser.get("/read").body(), "last-writer-wins: no error, both requests wrote 2");
    }

    /** With locking on, a stored session whose lock a slow request holds until the test proceeds. */
    private Future<HttpResponse<String>> aSessionLockedByASlowRequest() throws Exception {
        start(Map.of("SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.2S"));
        browser.get("/count");
        Future<HttpResponse<String>> holder = inBackground("/hold");
        assertTrue(read.await(10, TimeUnit.SECONDS));
        return holder;
    }

    private void assertBusy(HttpResponse<String> response) {
        assertPlainAnswer(response, 503, "busy with another request");
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void aRequestThatCannotGetTheLockInTimeIsAnswered503WithRetryAfter() throws Exception {
        Future<HttpResponse<String>> holder = aSessionLockedByASlowRequest();
        HttpResponse<String> response = browser.get("/read");
        assertBusy(response);
        assertTrue(log.contains(Level.WARNING, "GET /read failed: the session stayed locked"), "logged: " + log.records());

        proceed.countDown();
        assertEquals("held count=1", holder.get(10, TimeUnit.SECONDS).body());
        assertEquals("count=1", browser.get("/read").body(), "free again once the holder is done");
        assertFalse(backend.anyLocked());
    }

    @Test
    void aLockTimeoutTheApplicationSwallowedIsAnswered503WithoutWaitingAgain() throws Exception {
        Future<HttpResponse<String>> holder = aSessionLockedByASlowRequest();
        HttpResponse<String> response = browser.get("/read-swallowing");
        assertBusy(response);
        assertFalse(response.body().contains("all is fine"));
        assertEquals(0, lockAttemptsOfTheRetry.get(), "the second use failed at once, without asking the store again");

        proceed.countDown();
        assertEquals(200, holder.get(10, TimeUnit.SECONDS).statusCode());
        assertFalse(backend.anyLocked());
    }
}
