package io.sessionkit.servlet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Servlet 6.1's redirects ({@code sendRedirect} with a status, with the choice to keep the
 * buffered body, or both), on Tomcat 11, the tested 6.1 container: 6.1's response wrapper sends
 * them straight to the container's response, so without their own overrides the session would
 * be saved only after the redirect committed, and its cookie lost.
 */
class ServletSixOneRedirectTest {

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(ServletContainer.Kind.TOMCAT, new SessionKitFilter(store.engine))
                .route("/read", (request, response) -> response.getWriter()
                        .print("via=" + request.getSession().getAttribute("via")))
                .route("/with-status", (request, response) -> {
                    request.getSession().setAttribute("via", "with-status");
                    response.sendRedirect("/read", 303);
                })
                .route("/keeping-the-body", (request, response) -> {
                    request.getSession().setAttribute("via", "keeping-the-body");
                    response.getWriter().print("see /read");
                    response.sendRedirect("/read", false);
                })
                .route("/after-the-commit", (request, response) -> {
                    response.getWriter().print("sent;");
                    response.flushBuffer();
                    try {
                        response.sendRedirect("/read", 303);
                    } catch (IllegalStateException expected) {
                        response.getWriter().print("refused");
                    }
                })
                .route("/with-status-keeping-the-body", (request, response) -> {
                    request.getSession().setAttribute("via", "with-status-keeping-the-body");
                    response.sendRedirect("/read", 307, false);
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    private void assertSavedBeforeTheRedirect(String path, int status) throws Exception {
        HttpResponse<String> response = browser.get(path);
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("/read", response.headers().firstValue("Location").orElse("").replaceFirst("^http://[^/]+", ""));
        assertNotNull(browser.sessionSetCookie(response), path + " sent no session cookie: " + response.headers().map());
        assertEquals(1, store.backend.saves.get());
        assertEquals("via=" + path.substring(1), browser.get("/read").body());
    }

    @Test
    void aRedirectWithAStatusSavesFirst() throws Exception {
        assertSavedBeforeTheRedirect("/with-status", 303);
    }

    @Test
    void theContainersRefusalOfARedirectAfterTheCommitReachesTheApplication() throws Exception {
        assertEquals("sent;refused", browser.get("/after-the-commit").body());
    }

    @Test
    void aRedirectKeepingTheBodySavesFirst() throws Exception {
        assertSavedBeforeTheRedirect("/keeping-the-body", 302);
    }

    @Test
    void aRedirectWithAStatusKeepingTheBodySavesFirst() throws Exception {
        assertSavedBeforeTheRedirect("/with-status-keeping-the-body", 307);
    }
}
