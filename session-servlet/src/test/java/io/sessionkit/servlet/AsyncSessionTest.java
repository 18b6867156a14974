package io.sessionkit.servlet;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Async servlets ({@code request.startAsync()}): a change made in the continuation, after the
 * filter chain returned, is saved before {@code AsyncContext.complete()} commits the response, so
 * its cookie goes out and the next request sees it; the session's lock is held until the async
 * request ends and released however it ends; a change after the response committed is not saved,
 * and is logged.
 */
class AsyncSessionTest {

    /** The request attribute holding the latch that {@link #signallingReturn} counts down. */
    private static final String FILTER_RETURNED = AsyncSessionTest.class.getName() + ".filterReturned";

    /** The container these tests run on; subclasses name the others. */
    ServletContainer.Kind container() {
        return ServletContainer.Kind.JETTY;
    }

    private final LockingMemoryBackend backend = new LockingMemoryBackend(Clock.systemUTC());
    private final FilterLog log = new FilterLog();
    /** What went wrong on a continuation's thread, where no assertion reaches the test. */
    private final List<Throwable> continuationFailures = new CopyOnWriteArrayList<>();
    private SessionInterface engine;
    private TestServer server;
    private TestBrowser browser;

    /**
     * Runs the continuation on its own thread once {@link SessionKitFilter} returned, as a
     * continuation on another thread usually does: run earlier, it can complete the request while
     * the filter still holds it, and the filter then saves at the chain's end as in a request
     * that never went async.
     */
    private void continueAfterTheFilterReturned(HttpServletRequest request, ContinuationStep step) {
        CountDownLatch filterReturned = new CountDownLatch(1);
        request.setAttribute(FILTER_RETURNED, filterReturned);
        Thread thread = new Thread(() -> {
            try {
                filterReturned.await();
                step.run();
            } catch (Throwable e) {
                continuationFailures.add(e);
            }
        }, "async-continuation");
        thread.start();
    }

    /** {@code filter}, counting down the request's {@link #FILTER_RETURNED} latch when it returns. */
    private static Filter signallingReturn(Filter filter) {
        return new Filter() {
            @Override
            public void init(FilterConfig config) throws ServletException {
                filter.init(config);
            }

            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                try {
                    filter.doFilter(request, response, chain);
                } finally {
                    if (request.getAttribute(FILTER_RETURNED) instanceof CountDownLatch latch) {
                        latch.countDown();
                    }
                }
            }

            @Override
            public void destroy() {
                filter.destroy();
            }
        };
    }

    @FunctionalInterface
    private interface ContinuationStep {
        void run() throws Exception;
    }

    @BeforeEach
    void start() throws Exception {
        engine = SessionInterface.create(SessionConfig.builder().fromMap(Map.of(
                "SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT2S", "SESSION_MAX_SIZE", "512")).build(), backend);
        server = TestServer.start(container(), signallingReturn(new SessionKitFilter(engine)))
                .route("/read", (request, response) -> response.getWriter()
                        .print("k=" + request.getSession().getAttribute("k")))
                .route("/put", (request, response) -> request.getSession().setAttribute("k", request.getParameter("v")))
                .route("/async-put", (request, response) -> {
                    AsyncContext async = request.startAsync();
                    assertSame(async, request.getAsyncContext());
                    continueAfterTheFilterReturned(request, () -> {
                        request.getSession().setAttribute("k", "set-in-the-continuation");
                        response.getWriter().print("done");
                        async.complete();
                    });
                })
                .route("/async-through-context", (request, response) -> {
                    AsyncContext async = request.startAsync();
                    async.start(() -> {
                        try {
                            HttpServletRequest sessionRequest = (HttpServletRequest) async.getRequest();
                            sessionRequest.getSession().setAttribute("k", "set-through-the-context");
                            async.getResponse().getWriter().print("done");
                        } catch (Throwable e) {
                            continuationFailures.add(e);
                        }
                        async.complete();
                    });
                })
                .route("/async-flush-then-change", (request, response) -> {
                    AsyncContext async = request.startAsync();
                    continueAfterTheFilterReturned(request, () -> {
                        request.getSession().setAttribute("k", "before-the-commit");
                        response.getWriter().print("sent");
                        response.flushBuffer();
                        request.getSession().setAttribute("k", "after-the-commit");
                        async.complete();
                    });
                })
                .route("/async-too-large", (request, response) -> {
                    AsyncContext async = request.startAsync();
                    continueAfterTheFilterReturned(request, () -> {
                        request.getSession().setAttribute("k", "x".repeat(2000));
                        response.getWriter().print("not sent");
                        async.complete();
                    });
                })
                .route("/async-complete-in-the-route", (request, response) -> {
                    AsyncContext async = request.startAsync();
                    request.getSession().setAttribute("k", "before-the-commit");
                    response.flushBuffer();
                    request.getSession().setAttribute("k", "after-the-commit");
                    async.complete();
                })
                .route("/async-with-the-applications-objects", (request, response) -> {
                    AsyncContext async = request.startAsync(request, response);
                    continueAfterTheFilterReturned(request, () -> {
                        ((HttpServletRequest) async.getRequest()).getSession().setAttribute("k", "with-the-objects");
                        async.getResponse().getWriter().print("done");
                        async.complete();
                    });
                })
                .route("/async-started-on-the-containers-request", (request, response) -> {
                    request.getSession().setAttribute("k", "before-the-containers-start-async");
                    AsyncContext async = ((ServletRequestWrapper) request).getRequest().startAsync();
                    continueAfterTheFilterReturned(request, () -> {
                        async.getResponse().getWriter().print("done");
                        async.complete();
                    });
                })
                .route("/async-completed-on-the-containers-context", (request, response) -> {
                    request.startAsync();
                    AsyncContext containers = ((ServletRequestWrapper) request).getRequest().getAsyncContext();
                    continueAfterTheFilterReturned(request, () -> {
                        request.getSession().setAttribute("k", "never-saved");
                        response.getWriter().print("done");
                        containers.complete();
                    });
                })
                .route("/async-timeout-reading", (request, response) -> {
                    request.getSession().getAttribute("k");
                    request.startAsync().setTimeout(200);
                })
                .route("/async-timeout", (request, response) -> {
                    request.getSession().setAttribute("k", "changed-by-a-request-that-timed-out");
                    AsyncContext async = request.startAsync();
                    async.setTimeout(200);
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        engine.close();
        log.close();
        assertEquals(List.of(), continuationFailures);
    }

    @Test
    void aChangeInTheContinuationIsSavedBeforeCompleteCommits() throws Exception {
        HttpResponse<String> response = browser.get("/async-put");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("done", response.body());
        assertNotNull(browser.sessionSetCookie(response), "the new session's cookie: " + response.headers().map());
        assertFalse(backend.anyLocked(), "released when the async request ended");
        assertEquals("k=set-in-the-continuation", browser.get("/read").body());
        assertEquals(0, lostChangeWarnings(), "nothing lost: " + log.records());
    }

    private long lostChangeWarnings() {
        return log.records().stream().filter(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains("changed its session where the change could not be saved")).count();
    }

    @Test
    void completeInsideTheRouteEndsTheSessionOnce() throws Exception {
        HttpResponse<String> response = browser.get("/async-complete-in-the-route");
        assertNotNull(browser.sessionSetCookie(response), "saved at the flush: " + response.headers().map());
        assertEquals("k=before-the-commit", browser.get("/read").body());
        assertEquals(1, lostChangeWarnings(), "one warning for the change after the flush: " + log.records());
        assertFalse(backend.anyLocked());
    }

    @Test
    void startAsyncWithTheApplicationsObjectsSavesBeforeComplete() throws Exception {
        HttpResponse<String> response = browser.get("/async-with-the-applications-objects");
        assertEquals("done", response.body());
        assertNotNull(browser.sessionSetCookie(response), "the new session's cookie: " + response.headers().map());
        assertEquals("k=with-the-objects", browser.get("/read").body());
    }

    @Test
    void asyncStartedPastTheFilterIsSavedWhenTheChainReturns() throws Exception {
        HttpResponse<String> response = browser.get("/async-started-on-the-containers-request");
        assertEquals("done", response.body());
        assertNotNull(browser.sessionSetCookie(response), "saved when the chain returned: " + response.headers().map());
        assertFalse(backend.anyLocked(), "released when the chain returned");
        assertEquals("k=before-the-containers-start-async", browser.get("/read").body());
    }

    @Test
    void completeOnTheContainersOwnContextSavesNothingButReleasesAndWarns() throws Exception {
        browser.get("/put?v=stored");
        HttpResponse<String> response = browser.get("/async-completed-on-the-containers-context");
        assertEquals("done", response.body());
        // Within SESSION_LOCK_TIMEOUT: the async request's end released the lock.
        HttpResponse<String> next = browser.get("/read");
        assertEquals(200, next.statusCode(), next.body());
        assertEquals("k=stored", next.body());
        assertEquals(1, lostChangeWarnings(), "logged: " + log.records());
    }

    @Test
    void aTimedOutRequestThatChangedNothingLogsNothing() throws Exception {
        browser.get("/put?v=stored");
        assertEquals(500, browser.get("/async-timeout-reading").statusCode());
        assertEquals("k=stored", browser.get("/read").body());
        assertEquals(0, lostChangeWarnings(), "nothing lost: " + log.records());
    }

    @Test
    void theContextOfStartAsyncWithoutArgumentsGivesTheSessionsRequest() throws Exception {
        HttpResponse<String> response = browser.get("/async-through-context");
        assertEquals("done", response.body());
        assertNotNull(browser.sessionSetCookie(response), "the new session's cookie: " + response.headers().map());
        assertEquals("k=set-through-the-context", browser.get("/read").body());
    }

    @Test
    void aChangeAfterTheAsyncResponseCommittedIsNotSavedAndIsLogged() throws Exception {
        HttpResponse<String> response = browser.get("/async-flush-then-change");
        assertEquals("sent", response.body());
        assertNotNull(browser.sessionSetCookie(response), "saved at the commit point: " + response.headers().map());
        assertEquals("k=before-the-commit", browser.get("/read").body());
        assertEquals(1, lostChangeWarnings(), "logged once: " + log.records());
    }

    @Test
    void aSaveFailureAtCompleteIsAnsweredAndTheStoredSessionIsUnchanged() throws Exception {
        browser.get("/put?v=stored");
        HttpResponse<String> response = browser.get("/async-too-large");
        assertEquals(500, response.statusCode(), response.body());
        assertEquals("500 Internal Server Error: the session is too large to be saved.\n", response.body());
        assertFalse(backend.anyLocked(), "released when the async request ended");
        assertEquals("k=stored", browser.get("/read").body());
    }

    @Test
    void aTimedOutAsyncRequestReleasesTheLockWithoutSaving() throws Exception {
        browser.get("/put?v=stored");
        HttpResponse<String> response = browser.get("/async-timeout");
        assertEquals(500, response.statusCode(), "the container's answer to a timeout: " + response.body());
        assertNull(browser.sessionSetCookie(response));
        // Within SESSION_LOCK_TIMEOUT, not after the lock's lease: the timeout released it.
        HttpResponse<String> next = browser.get("/read");
        assertEquals(200, next.statusCode(), next.body());
        assertEquals("k=stored", next.body());
        assertTrue(log.contains(Level.WARNING, "changed its session where the change could not be saved"),
                "logged: " + log.records());
    }
}
