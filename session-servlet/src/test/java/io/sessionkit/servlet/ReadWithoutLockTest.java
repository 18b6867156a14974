package io.sessionkit.servlet;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code SESSION_LOCKING}, a request that calls {@link SessionKitFilter#withoutLock} reads
 * its session without taking or waiting for the lock that another request holds.
 */
class ReadWithoutLockTest {

    private final LockingMemoryBackend backend = new LockingMemoryBackend(Clock.systemUTC());
    private final FilterLog log = new FilterLog();
    private SessionInterface engine;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        engine = SessionInterface.create(SessionConfig.builder().fromMap(Map.of(
                "SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.3S")).build(), backend);
        server = TestServer.start(new SessionKitFilter(engine))
                .route("/put", (request, response) -> request.getSession().setAttribute("k", request.getParameter("v")))
                .route("/read", (request, response) -> response.getWriter().print("k=" + request.getSession().getAttribute("k")))
                .route("/peek", (request, response) -> {
                    SessionKitFilter.withoutLock(request);
                    response.getWriter().print("k=" + request.getSession().getAttribute("k"));
                })
                .route("/peek-then-put", (request, response) -> {
                    SessionKitFilter.withoutLock(request);
                    request.getSession().setAttribute("seen", request.getSession().getAttribute("k"));
                })
                .route("/late", (request, response) -> {
                    request.getSession().getAttribute("k");
                    try {
                        SessionKitFilter.withoutLock(request);
                        response.getWriter().print("accepted");
                    } catch (IllegalStateException refused) {
                        response.getWriter().print("refused: " + refused.getMessage());
                    }
                });
        browser = new TestBrowser(server);
        browser.get("/put?v=stored");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        engine.close();
        log.close();
    }

    private void holdTheLockElsewhere() {
        assertTrue(backend.tryLock("session:" + browser.cookieValue(), "another request", Duration.ofMinutes(1)));
    }

    @Test
    void aReadWithoutLockIsServedWhileAnotherRequestHoldsTheLock() throws Exception {
        holdTheLockElsewhere();
        HttpResponse<String> peek = browser.get("/peek");
        assertEquals(200, peek.statusCode());
        assertEquals("k=stored", peek.body());
        assertEquals(503, browser.get("/read").statusCode(), "an ordinary request waits for the lock and gives up");
    }

    @Test
    void aChangeMadeWithoutTheLockIsStillSaved() throws Exception {
        holdTheLockElsewhere();
        assertEquals(200, browser.get("/peek-then-put").statusCode());
        backend.unlock("session:" + browser.cookieValue(), "another request");
        assertEquals("k=stored", browser.get("/read").body());
        assertEquals("stored", engine.open(browser.cookieValue()).get("seen"));
    }

    @Test
    void itMustBeCalledBeforeTheSessionIsUsed() throws Exception {
        HttpResponse<String> late = browser.get("/late");
        assertTrue(late.body().startsWith("refused: SessionKitFilter.withoutLock(request) must be called before"), late.body());
        assertFalse(backend.anyLocked(), "the request's own lock was released");
    }
}
