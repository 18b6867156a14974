package io.sessionkit.servlet;

import io.sessionkit.SessionBackendException;
import io.sessionkit.testsupport.LogLeakWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store that is down answers 503, a session over SESSION_MAX_SIZE answers 500; both with a
 * short plain-text body, no stack trace, and a log entry. The store is switched off and on
 * around a real filesystem store, so its data can be checked afterwards.
 */
class FailureResponseTest {

    /** The container these tests run on; subclasses name the others. */
    ServletContainer.Kind container() {
        return ServletContainer.Kind.JETTY;
    }

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
            LogLeakWatch.inspect(record); // kept out of the build output, still watched
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        Logger filterLog = Logger.getLogger(SessionKitFilter.class.getName());
        filterLog.addHandler(capture);
        filterLog.setUseParentHandlers(false); // the failures here are expected: keep them out of the build log
        store = new FileSystemStore(storeDirectory, Map.of("SESSION_MAX_SIZE", "512"));
        server = TestServer.start(container(), new SessionKitFilter(store.engine))
                .route("/put", (request, response) -> {
                    request.getSession().setAttribute(request.getParameter("key"), request.getParameter("value"));
                    response.getWriter().print("stored");
                })
                .route("/put-unwritable", (request, response) -> {
                    request.getSession().setAttribute("self", new SelfReferencing());
                    response.sendRedirect("/");
                })
                .route("/put-large", (request, response) -> {
                    request.getSession().setAttribute("big", "x".repeat(2000));
                    response.getWriter().print("stored");
                })
                .route("/get", (request, response) -> response.getWriter()
                        .print("value=" + request.getSession().getAttribute(request.getParameter("key"))))
                .route("/put-and-flush", (request, response) -> {
                    request.getSession().setAttribute("k", "v");
                    response.getWriter().print("partial");
                    response.flushBuffer();
                })
                .route("/swallow", (request, response) -> {
                    try {
                        request.getSession().getAttribute("k");
                    } catch (SessionBackendException swallowed) {
                        response.getWriter().print("all is fine");
                    }
                })
                .route("/swallow-save-failure", (request, response) -> {
                    request.getSession().setAttribute("k", "changed"); // loaded while the store is up
                    store.backend.down.set(true);
                    try {
                        response.flushBuffer();
                    } catch (SessionBackendException swallowed) {
                        response.getWriter().print("all is fine");
                    }
                })
                .route("/wrap-store-failure", (request, response) -> {
                    try {
                        request.getSession().getAttribute("k");
                    } catch (SessionBackendException cause) {
                        throw new jakarta.servlet.ServletException("the page could not be built", new IllegalStateException(cause));
                    }
                })
                .route("/change-then-fail", (request, response) -> {
                    request.getSession().setAttribute("k", "changed before the failure");
                    throw new IllegalStateException("the application failed on purpose");
                })
                .route("/commit-then-read", (request, response) -> {
                    response.getWriter().print("already sent");
                    response.flushBuffer();
                    request.getSession().getAttribute("k");
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
        Logger filterLog = Logger.getLogger(SessionKitFilter.class.getName());
        filterLog.removeHandler(capture);
        filterLog.setUseParentHandlers(true);
    }

    private void assertPlainError(HttpResponse<String> response, int status, String phrase) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(response.body().contains(phrase), response.body());
        assertFalse(response.body().contains("Exception"), "no exception names in the body: " + response.body());
        assertFalse(response.body().contains("\tat "), "no stack trace in the body");
        assertTrue(response.body().length() < 200, "a short body");
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null), "an error answer is never cached");
        assertEquals(String.valueOf(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                response.headers().firstValue("Content-Length").orElse(null));
        assertNull(browser.sessionSetCookie(response), "no cookie on an error answer");
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.SEVERE && r.getThrown() != null),
                "the failure is logged with its cause");
    }

    @Test
    void storeDownWhileLoadingAnswers503AndTheSessionSurvives() throws Exception {
        browser.get("/put?key=k&value=before");
        store.backend.down.set(true);
        assertPlainError(browser.get("/get?key=k"), 503, "sessions are unavailable right now");
        store.backend.down.set(false);
        assertEquals("value=before", browser.get("/get?key=k").body());
    }

    @Test
    void aFailedLoadThatTheApplicationSwallowedIsNotTriedAgainByTheSave() throws Exception {
        browser.get("/put?key=k&value=v");
        store.backend.down.set(true);
        int loads = store.backend.loads.get();
        assertPlainError(browser.get("/swallow"), 503, "sessions are unavailable right now");
        assertEquals(1, store.backend.loads.get() - loads, "one load, not a second one at the save");
    }

    @Test
    void storeDownWhileSavingAtTheEndOfTheChainAnswers503() throws Exception {
        store.backend.down.set(true);
        assertPlainError(browser.get("/put?key=k&value=v"), 503, "sessions are unavailable right now");
    }

    @Test
    void storeDownWhileSavingBeforeAFlushAnswers503() throws Exception {
        store.backend.down.set(true);
        HttpResponse<String> response = browser.get("/put-and-flush");
        assertPlainError(response, 503, "sessions are unavailable right now");
        assertFalse(response.body().contains("partial"));
    }

    @Test
    void storeFailureSwallowedByTheApplicationStillAnswers503() throws Exception {
        browser.get("/put?key=k&value=v");
        store.backend.down.set(true);
        HttpResponse<String> response = browser.get("/swallow");
        // The application carried on, but the session could not be saved: the request failed.
        assertPlainError(response, 503, "sessions are unavailable right now");
        assertFalse(response.body().contains("all is fine"));
        store.backend.down.set(false);
        assertEquals("value=v", browser.get("/get?key=k").body());
    }

    @Test
    void storeDownAfterTheResponseWasCommittedIsOnlyLogged() throws Exception {
        browser.get("/put?key=k&value=v");
        store.backend.down.set(true);
        HttpResponse<String> response = browser.get("/commit-then-read");
        assertEquals(200, response.statusCode());
        assertEquals("already sent", response.body());
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.SEVERE
                && r.getMessage().contains("already committed")), "logged as committed");
    }

    @Test
    void sessionTooLargeAnswers500AndKeepsTheStoredSession() throws Exception {
        browser.get("/put?key=k&value=small");
        String cookie = browser.cookieValue();
        HttpResponse<String> response = browser.get("/put-large");
        assertPlainError(response, 500, "too large");
        assertEquals(cookie, browser.cookieValue());
        assertEquals("value=small", browser.get("/get?key=k").body());
        assertEquals(1, store.files().size());
    }

    /** A bean Jackson cannot write: its getter returns itself, without end. */
    public static final class SelfReferencing {
        public SelfReferencing getSelf() {
            return this;
        }
    }

    @Test
    void anyOtherSaveFailureAnswersAPlain500WithoutTheExceptionName() throws Exception {
        browser.get("/put?key=k&value=small");
        HttpResponse<String> response = browser.get("/put-unwritable");
        assertPlainError(response, 500, "could not be saved");
        assertFalse(response.body().contains("Exception"), response.body());
        assertTrue(response.headers().firstValue("Location").isEmpty(), "the servlet's redirect is replaced by the error");
        assertEquals("value=small", browser.get("/get?key=k").body(), "the stored session is unchanged");
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.SEVERE && r.getThrown() != null), "logged with its cause");
    }

    @Test
    void aSaveFailureSwallowedByTheApplicationStillAnswers503() throws Exception {
        browser.get("/put?key=k&value=before");
        HttpResponse<String> response = browser.get("/swallow-save-failure");
        assertPlainError(response, 503, "sessions are unavailable right now");
        assertFalse(response.body().contains("all is fine"));
        store.backend.down.set(false);
        assertEquals("value=before", browser.get("/get?key=k").body());
    }

    @Test
    void aStoreFailureWrappedByTheApplicationStillAnswers503() throws Exception {
        browser.get("/put?key=k&value=v");
        store.backend.down.set(true);
        assertPlainError(browser.get("/wrap-store-failure"), 503, "sessions are unavailable right now");
    }

    @Test
    void whatTheRequestChangedBeforeTheApplicationFailedIsKept() throws Exception {
        browser.get("/put?key=k&value=before");
        Logger jetty = Logger.getLogger("org.eclipse.jetty");
        Level jettyLevel = jetty.getLevel();
        jetty.setLevel(Level.OFF); // the application's failure is expected: keep Jetty's report of it out of the build log
        try {
            assertEquals(500, browser.get("/change-then-fail").statusCode());
        } finally {
            jetty.setLevel(jettyLevel);
        }
        assertEquals("value=changed before the failure", browser.get("/get?key=k").body());
        assertEquals(2, store.backend.saves.get());
    }
}
