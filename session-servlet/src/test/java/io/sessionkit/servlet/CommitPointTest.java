package io.sessionkit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a servlet can commit its response still gets the session saved and its cookie sent:
 * the cookie must be in the response (headers cannot be added after the commit) and the data
 * must be readable by the next request. Each request saves exactly once.
 */
class CommitPointTest {

    /** The container these tests run on; subclasses name the others. */
    ServletContainer.Kind container() {
        return ServletContainer.Kind.JETTY;
    }

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;
    /** What the route saw once its commit action was done: saves so far, and whether the response was committed. */
    private record AfterCommitAction(int saves, boolean committed) {
    }

    // Completed by the servlet thread; awaited, because once the declared content length is written
    // the response is complete on the wire and the client may read it before the servlet returns.
    private final java.util.concurrent.CompletableFuture<AfterCommitAction> afterCommitAction =
            new java.util.concurrent.CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(container(), new SessionKitFilter(store.engine))
                .route("/read", (request, response) -> {
                    Object value = request.getSession(false) == null ? null
                            : request.getSession(false).getAttribute("via");
                    response.getWriter().print("via=" + value);
                })
                .route("/read-late", (request, response) ->
                        response.getWriter().print("late=" + request.getSession().getAttribute("late")))
                .route("/end-of-chain", (request, response) -> {
                    remember(request, "end-of-chain");
                    response.getWriter().print("body");
                })
                .route("/flush-buffer", (request, response) -> {
                    remember(request, "flush-buffer");
                    response.getWriter().print("body");
                    response.flushBuffer();
                    commitActionDone(response);
                })
                .route("/writer-flush", (request, response) -> {
                    remember(request, "writer-flush");
                    response.getWriter().print("body");
                    response.getWriter().flush();
                    commitActionDone(response);
                })
                .route("/stream-flush", (request, response) -> {
                    remember(request, "stream-flush");
                    response.getOutputStream().write("body".getBytes(StandardCharsets.UTF_8));
                    response.getOutputStream().flush();
                    commitActionDone(response);
                })
                .route("/redirect", (request, response) -> {
                    remember(request, "redirect");
                    response.sendRedirect("/read");
                    commitActionDone(response);
                })
                .route("/send-error", (request, response) -> {
                    remember(request, "send-error");
                    response.sendError(409, "conflict on purpose");
                    commitActionDone(response);
                })
                .route("/content-length-stream", (request, response) -> {
                    remember(request, "content-length-stream");
                    byte[] body = "exactly 22 bytes long.".getBytes(StandardCharsets.UTF_8);
                    response.setContentLength(body.length);
                    response.getOutputStream().write(body);
                    commitActionDone(response);
                })
                .route("/content-length-writer", (request, response) -> {
                    remember(request, "content-length-writer");
                    response.setCharacterEncoding("UTF-8");
                    String body = "gr\u00fc\u00dfe \u20ac"; // 11 bytes in UTF-8
                    response.setContentLengthLong(body.getBytes(StandardCharsets.UTF_8).length);
                    response.getWriter().print(body);
                    commitActionDone(response);
                })
                .route("/large-write", (request, response) -> {
                    remember(request, "large-write");
                    byte[] body = new byte[response.getBufferSize() * 2];
                    java.util.Arrays.fill(body, (byte) 'x');
                    response.getOutputStream().write(body);
                    commitActionDone(response);
                })
                .route("/many-small-writes", (request, response) -> {
                    remember(request, "many-small-writes");
                    int lines = response.getBufferSize() / 10 * 2;
                    for (int i = 0; i < lines; i++) {
                        response.getWriter().println("line " + i);
                    }
                    commitActionDone(response);
                })
                .route("/flush-then-change", (request, response) -> {
                    remember(request, "flush-then-change");
                    response.flushBuffer();
                    request.getSession().setAttribute("late", "lost");
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    private void commitActionDone(HttpServletResponse response) {
        afterCommitAction.complete(new AfterCommitAction(store.backend.saves.get(), response.isCommitted()));
    }

    /**
     * Whether this test's container commits the response at the route's commit action itself.
     * The filter saves there in every container; some containers commit only later, when the
     * servlet returns.
     */
    boolean containerCommitsAt(String path) {
        return switch (container()) {
            case JETTY -> true;
            // Tomcat's writer keeps its own character buffer: neither a declared length reached
            // through the writer nor a buffer's worth of small writes commits at once.
            case TOMCAT -> !path.equals("/content-length-writer") && !path.equals("/many-small-writes");
            // Undertow does not complete the response when the declared length is written.
            case UNDERTOW -> !path.startsWith("/content-length-");
        };
    }

    private static void remember(HttpServletRequest request, String via) {
        request.getSession().setAttribute("via", via);
    }

    private void assertSavedBeforeCommit(String path, int expectedStatus, boolean routeCommits) throws Exception {
        HttpResponse<String> response = browser.get(path);
        assertEquals(expectedStatus, response.statusCode(), path + " answered " + response.body());
        assertNotNull(browser.sessionSetCookie(response), path + " sent no session cookie: " + response.headers().map());
        // Jetty's error page keeps Set-Cookie but replaces the other headers; it is never cached
        // (no-store), so no cache needs Vary there.
        boolean uncacheable = response.headers().firstValue("Cache-Control").orElse("").contains("no-store");
        assertTrue(uncacheable || response.headers().allValues("Vary").contains("Cookie"),
                "Vary: Cookie missing on " + path + ": " + response.headers().map());
        assertEquals(1, store.backend.saves.get(), "saves for " + path);
        if (routeCommits) {
            AfterCommitAction after = afterCommitAction.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1, after.saves(), path + " should have saved at the commit action, inside the servlet");
            assertEquals(containerCommitsAt(path), after.committed(),
                    "whether " + container() + " committed the response at " + path);
        }
        String via = path.substring(1);
        assertEquals("via=" + via, browser.get("/read").body());
        assertEquals(1, store.files().size(), "store files after " + path);
    }

    @Test
    void savesAtTheEndOfTheChainWhenNothingCommittedEarlier() throws Exception {
        assertSavedBeforeCommit("/end-of-chain", 200, false);
    }

    @Test
    void savesBeforeFlushBuffer() throws Exception {
        assertSavedBeforeCommit("/flush-buffer", 200, true);
    }

    @Test
    void savesBeforeWriterFlush() throws Exception {
        assertSavedBeforeCommit("/writer-flush", 200, true);
    }

    @Test
    void savesBeforeOutputStreamFlush() throws Exception {
        assertSavedBeforeCommit("/stream-flush", 200, true);
    }

    @Test
    void savesBeforeSendRedirect() throws Exception {
        assertSavedBeforeCommit("/redirect", 302, true);
    }

    @Test
    void savesBeforeSendError() throws Exception {
        assertSavedBeforeCommit("/send-error", 409, true);
    }

    @Test
    void savesBeforeTheDeclaredContentLengthIsReachedOnTheStream() throws Exception {
        assertSavedBeforeCommit("/content-length-stream", 200, true);
    }

    @Test
    void savesBeforeTheDeclaredContentLengthIsReachedOnTheWriter() throws Exception {
        assertSavedBeforeCommit("/content-length-writer", 200, true);
    }

    @Test
    void savesBeforeAWriteLargerThanTheBuffer() throws Exception {
        assertSavedBeforeCommit("/large-write", 200, true);
    }

    @Test
    void savesBeforeManySmallWritesFillTheBuffer() throws Exception {
        assertSavedBeforeCommit("/many-small-writes", 200, true);
    }

    @Test
    void changesAfterTheCommitAreNotSavedAndDoNotCauseASecondSave() throws Exception {
        HttpResponse<String> response = browser.get("/flush-then-change");
        assertEquals(200, response.statusCode());
        assertEquals(1, store.backend.saves.get());
        assertEquals("via=flush-then-change", browser.get("/read").body());
        assertEquals("late=null", browser.get("/read-late").body());
    }
}
