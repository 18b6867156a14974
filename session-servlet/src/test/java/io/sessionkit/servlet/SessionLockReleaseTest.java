package io.sessionkit.servlet;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code SESSION_LOCKING}, every way a request can end frees its session's lock at once:
 * a lock left behind would make the browser's next request wait {@code SESSION_LOCK_TIMEOUT}
 * and fail for as long as the lease ({@code SESSION_LOCK_LEASE}, 30 s by default) runs.
 */
class SessionLockReleaseTest {

    private final LockingMemoryBackend backend = new LockingMemoryBackend(Clock.systemUTC());
    private final FilterLog log = new FilterLog();
    private SessionInterface engine;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        engine = SessionInterface.create(SessionConfig.builder().fromMap(Map.of(
                "SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.2S", "SESSION_MAX_SIZE", "512")).build(), backend);
        server = TestServer.start(new SessionKitFilter(engine))
                .route("/put", (request, response) -> request.getSession().setAttribute("k", request.getParameter("v")))
                .route("/read", (request, response) -> response.getWriter()
                        .print("k=" + request.getSession().getAttribute("k")))
                .route("/put-large", (request, response) -> request.getSession().setAttribute("k", "x".repeat(2000)))
                .route("/read-then-store-failure", (request, response) -> {
                    request.getSession().getAttribute("k");
                    // A store failure met elsewhere in the request: answered 503 without a save.
                    throw new SessionBackendException("locking-memory", "load", "failure raised by the test", null);
                })
                .route("/read-then-throw", (request, response) -> {
                    request.getSession().setAttribute("k", "changed-before-the-failure");
                    throw new IllegalStateException("application failure raised by the test");
                })
                .route("/flush-then-read", (request, response) -> {
                    response.getWriter().print("sent;");
                    response.flushBuffer();
                    // First use after the commit point: locked now, and never saved.
                    response.getWriter().print("k=" + request.getSession().getAttribute("k"));
                })
                .route("/logout", (request, response) -> request.getSession().invalidate())
                .route("/change-id", (request, response) -> request.changeSessionId());
        browser = new TestBrowser(server);
        browser.get("/put?v=stored");
        assertFalse(backend.anyLocked());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        engine.close();
        log.close();
    }

    /** No lock is left, and the browser's next request reads its session without waiting. */
    private void assertReleased(String after) throws Exception {
        assertFalse(backend.anyLocked(), "a lock is left after " + after);
        HttpResponse<String> next = browser.get("/read");
        assertEquals(200, next.statusCode(), "the request after " + after + ": " + next.body());
    }

    @Test
    void aModifyingRequestReleasesItsLock() throws Exception {
        int unlocks = backend.unlocks.get();
        browser.get("/put?v=new");
        assertEquals(unlocks + 1, backend.unlocks.get(), "released once");
        assertReleased("a modifying request");
        assertEquals("k=new", browser.get("/read").body());
    }

    @Test
    void aReadOnlyRequestReleasesItsLock() throws Exception {
        assertEquals("k=stored", browser.get("/read").body());
        assertReleased("a read-only request");
    }

    @Test
    void aFailedSaveReleasesItsLock() throws Exception {
        backend.writesDown.set(true);
        assertEquals(503, browser.get("/put?v=lost").statusCode());
        backend.writesDown.set(false);
        assertReleased("a failed save");
        assertEquals("k=stored", browser.get("/read").body());
    }

    @Test
    void anOversizedSessionReleasesItsLock() throws Exception {
        assertEquals(500, browser.get("/put-large").statusCode());
        assertReleased("an oversized session");
    }

    @Test
    void aRequestAnsweredWithAnErrorBeforeItsSaveReleasesItsLock() throws Exception {
        assertEquals(503, browser.get("/read-then-store-failure").statusCode());
        assertReleased("a request answered 503 without a save");
    }

    @Test
    void anApplicationExceptionReleasesTheLockAfterSavingWhatWasChanged() throws Exception {
        assertEquals(500, browser.get("/read-then-throw").statusCode());
        assertReleased("an application exception");
        assertEquals("k=changed-before-the-failure", browser.get("/read").body());
    }

    @Test
    void aSessionFirstUsedAfterTheCommitPointReleasesItsLock() throws Exception {
        HttpResponse<String> response = browser.get("/flush-then-read");
        assertEquals("sent;k=stored", response.body());
        assertReleased("a session used only after the commit point");
    }

    @Test
    void aLogoutReleasesTheLock() throws Exception {
        String id = browser.cookieValue();
        browser.get("/logout");
        assertFalse(backend.anyLocked());
        HttpResponse<String> oldCookie = browser.getWithCookieHeader("/read", "session=" + id);
        assertEquals("k=null", oldCookie.body(), "a request still holding the old cookie starts afresh, without waiting");
    }

    @Test
    void aChangedIdReleasesTheLockOfTheOldOne() throws Exception {
        browser.get("/change-id");
        assertReleased("changeSessionId()");
        assertEquals("k=stored", browser.get("/read").body());
        assertTrue(backend.keys().size() == 1, backend.keys().toString());
    }
}
