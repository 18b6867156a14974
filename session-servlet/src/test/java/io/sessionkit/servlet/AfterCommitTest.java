package io.sessionkit.servlet;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the session's life-cycle methods do after the response's commit point, when the session
 * has been saved and no header can be sent any more: {@code invalidate()} deletes the stored
 * session at once (on the filesystem store, whose saves are blind, and on a store with
 * conditional writes); {@code changeSessionId()} and {@code Session.regenerate()} are refused
 * with a message that says why, and the id stays valid.
 */
class AfterCommitTest {

    @TempDir
    Path storeDirectory;

    private final FilterLog log = new FilterLog();
    private FileSystemStore store;
    private SessionInterface engine;
    private TestServer server;
    private TestBrowser browser;
    /** The names of the stored sessions, as the route sees them right after its invalidate(). */
    private StoredKeys storedKeys;

    private interface StoredKeys {
        Set<String> now() throws Exception;
    }

    private void onFileSystem() throws Exception {
        store = new FileSystemStore(storeDirectory);
        engine = store.engine;
        storedKeys = store::files;
        start();
    }

    private void onConditionalWrites() throws Exception {
        LockingMemoryBackend backend = new LockingMemoryBackend(Clock.systemUTC());
        engine = SessionInterface.create(SessionConfig.builder().fromMap(Map.of()).build(), backend);
        storedKeys = backend::keys;
        start();
    }

    private void start() throws Exception {
        server = TestServer.start(new SessionKitFilter(engine))
                .route("/put", (request, response) -> request.getSession().setAttribute("k", request.getParameter("v")))
                .route("/read", (request, response) -> response.getWriter().print(request.getSession(false) == null
                        ? "no session" : "k=" + request.getSession(false).getAttribute("k")))
                .route("/flush-then-invalidate", (request, response) -> {
                    request.getSession().getAttribute("k");
                    commitByFlush(response);
                    request.getSession().invalidate();
                    response.getWriter().print("stored-after-invalidate=" + storedKeys.now().size());
                })
                .route("/put-flush-then-invalidate", (request, response) -> {
                    request.getSession().setAttribute("k", "new");
                    commitByFlush(response);
                    response.getWriter().print("stored-at-commit=" + storedKeys.now().size() + ";");
                    request.getSession().invalidate();
                    response.getWriter().print("stored-after-invalidate=" + storedKeys.now().size());
                })
                .route("/redirect-then-invalidate-map", (request, response) -> {
                    SessionKitFilter.session(request).get("k");
                    response.sendRedirect("/read");
                    SessionKitFilter.session(request).invalidate();
                })
                .route("/flush-then-invalidate-store-down", (request, response) -> {
                    request.getSession().getAttribute("k");
                    commitByFlush(response);
                    store.backend.down.set(true);
                    try {
                        request.getSession().invalidate();
                    } catch (SessionBackendException expected) {
                        response.getWriter().print("the deletion failed");
                    }
                })
                .route("/flush-then-change-id", (request, response) -> {
                    String before = request.getSession().getId();
                    commitByFlush(response);
                    response.getWriter().print(refusal(() -> request.changeSessionId()));
                    response.getWriter().print(";unchanged=" + before.equals(request.getSession().getId()));
                })
                .route("/flush-then-regenerate-map", (request, response) -> {
                    SessionKitFilter.session(request).get("k");
                    commitByFlush(response);
                    response.getWriter().print(refusal(() -> SessionKitFilter.session(request).regenerate()));
                })
                .route("/change-id-before-commit", (request, response) -> response.getWriter()
                        .print("changed=" + !request.getSession().getId().equals(request.changeSessionId())));
        browser = new TestBrowser(server);
    }

    private static void commitByFlush(HttpServletResponse response) throws java.io.IOException {
        response.getWriter().print("sent;");
        response.flushBuffer();
        assertTrue(response.isCommitted());
    }

    private static String refusal(Runnable use) {
        try {
            use.run();
            return "no exception";
        } catch (IllegalStateException expected) {
            return "refused: " + expected.getMessage();
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        engine.close();
        log.close();
    }

    private void assertInvalidatedAtOnce(String path) throws Exception {
        browser.get("/put?v=stored");
        String id = browser.cookieValue();
        assertEquals(1, storedKeys.now().size());
        HttpResponse<String> response = browser.get(path);
        assertEquals(200, response.statusCode());
        assertEquals("sent;stored-after-invalidate=0", response.body(), "deleted inside the request, at the call");
        assertTrue(storedKeys.now().isEmpty());
        assertEquals("no session", browser.getWithCookieHeader("/read", "session=" + id).body(),
                "the browser's cookie, which could not be expired, names no session any more");
    }

    @Test
    void invalidateAfterAFlushDeletesTheStoredSessionAtOnce() throws Exception {
        onFileSystem();
        assertInvalidatedAtOnce("/flush-then-invalidate");
    }

    @Test
    void invalidateAfterAFlushDeletesTheStoredSessionAtOnceWithConditionalWrites() throws Exception {
        onConditionalWrites();
        assertInvalidatedAtOnce("/flush-then-invalidate");
    }

    private void assertNewSessionInvalidatedAtOnce() throws Exception {
        HttpResponse<String> response = browser.get("/put-flush-then-invalidate");
        assertNotNull(browser.sessionSetCookie(response), "the cookie went out with the commit");
        assertEquals("sent;stored-at-commit=1;stored-after-invalidate=0", response.body());
        assertTrue(storedKeys.now().isEmpty());
        assertEquals("no session", browser.get("/read").body());
    }

    @Test
    void invalidatingASessionCreatedAndSavedInTheSameRequestDeletesIt() throws Exception {
        onFileSystem();
        assertNewSessionInvalidatedAtOnce();
    }

    @Test
    void invalidatingASessionCreatedAndSavedInTheSameRequestDeletesItWithConditionalWrites() throws Exception {
        onConditionalWrites();
        assertNewSessionInvalidatedAtOnce();
    }

    @Test
    void invalidateThroughTheSessionMapAfterARedirectDeletesTheStoredSession() throws Exception {
        onFileSystem();
        browser.get("/put?v=stored");
        String id = browser.cookieValue();
        assertEquals(302, browser.get("/redirect-then-invalidate-map").statusCode());
        // sendRedirect completes the response on the wire: the client may read the 302 before the
        // servlet runs its next line, the invalidate. Wait for the servlet, not for a fixed time.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!storedKeys.now().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(storedKeys.now().isEmpty());
        assertEquals("no session", browser.getWithCookieHeader("/read", "session=" + id).body());
    }

    @Test
    void aFailedDeletionAfterTheCommitPointIsThrownAndLogged() throws Exception {
        onFileSystem();
        browser.get("/put?v=stored");
        HttpResponse<String> response = browser.get("/flush-then-invalidate-store-down");
        assertEquals("sent;the deletion failed", response.body());
        assertTrue(log.contains(Level.SEVERE, "already committed"), "logged: " + log.records());
        store.backend.down.set(false);
        assertEquals(1, storedKeys.now().size(), "the session is still stored: the application was told");
    }

    @Test
    void changeSessionIdAfterAFlushIsRefusedAndTheIdStaysValid() throws Exception {
        onFileSystem();
        browser.get("/put?v=stored");
        String id = browser.cookieValue();
        String body = browser.get("/flush-then-change-id").body();
        assertTrue(body.startsWith("sent;refused: changeSessionId() after the response's commit point"), body);
        assertTrue(body.contains("the cookie with a new id could no longer reach the browser"), body);
        assertTrue(body.endsWith(";unchanged=true"), body);
        assertEquals(id, browser.cookieValue());
        assertEquals("k=stored", browser.get("/read").body(), "the id still names the session");
        assertEquals(1, storedKeys.now().size());
    }

    @Test
    void regenerateThroughTheSessionMapAfterAFlushIsRefused() throws Exception {
        onConditionalWrites();
        browser.get("/put?v=stored");
        String body = browser.get("/flush-then-regenerate-map").body();
        assertTrue(body.startsWith("sent;refused: regenerate() after the response's commit point"), body);
        assertEquals("k=stored", browser.get("/read").body());
    }

    @Test
    void changeSessionIdBeforeTheCommitPointStillWorks() throws Exception {
        onFileSystem();
        browser.get("/put?v=stored");
        String id = browser.cookieValue();
        assertEquals("changed=true", browser.get("/change-id-before-commit").body());
        assertTrue(!id.equals(browser.cookieValue()));
        assertEquals("k=stored", browser.get("/read").body());
    }
}
