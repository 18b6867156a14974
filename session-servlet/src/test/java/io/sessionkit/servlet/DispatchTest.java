package io.sessionkit.servlet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Forwards and includes serve the one session of the request that the filter wrapped: a change
 * made in the forwarded or included resource is saved once, and its cookie sent, although
 * containers commit a forwarded response at different moments (Tomcat 11 stops the response when
 * the forward returns, so the filter, mapped for {@code FORWARD} too, saves there); an exception
 * the servlet throws is answered by the container's error page, and the changes made before it
 * are saved.
 */
class DispatchTest {

    /** The container these tests run on; subclasses name the others. */
    ServletContainer.Kind container() {
        return ServletContainer.Kind.JETTY;
    }

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(container(), new SessionKitFilter(store.engine))
                .route("/read", (request, response) -> response.getWriter()
                        .print("via=" + request.getSession().getAttribute("via")))
                .route("/forward", (request, response) -> {
                    request.getSession().setAttribute("seen", "before-the-forward");
                    request.getRequestDispatcher("/forwarded").forward(request, response);
                })
                .route("/forwarded", (request, response) -> {
                    request.getSession().setAttribute("via", "forwarded");
                    response.getWriter().print("forwarded body");
                })
                .route("/include", (request, response) -> {
                    response.getWriter().print("page;");
                    request.getRequestDispatcher("/included").include(request, response);
                    response.getWriter().print(";end");
                })
                .route("/included", (request, response) -> {
                    request.getSession().setAttribute("via", "included");
                    response.getWriter().print("included");
                })
                .route("/throw", (request, response) -> {
                    request.getSession().setAttribute("via", "throw");
                    throw new IllegalStateException("application failure raised by the test");
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    private void assertSavedOnce(HttpResponse<String> response, String via) throws Exception {
        assertNotNull(browser.sessionSetCookie(response), "no session cookie: " + response.headers().map());
        assertEquals(1, store.backend.saves.get(), "saves");
        assertEquals("via=" + via, browser.get("/read").body());
    }

    @Test
    void aChangeInTheForwardedResourceIsSaved() throws Exception {
        HttpResponse<String> response = browser.get("/forward");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("forwarded body", response.body());
        assertSavedOnce(response, "forwarded");
    }

    @Test
    void aChangeInTheIncludedResourceIsSaved() throws Exception {
        HttpResponse<String> response = browser.get("/include");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("page;included;end", response.body());
        assertSavedOnce(response, "included");
    }

    @Test
    void theContainersErrorPageForAnExceptionCarriesTheSavedSessionsCookieButOnUndertow() throws Exception {
        try (FilterLog quiet = new FilterLog()) {
            HttpResponse<String> response = browser.get("/throw");
            assertEquals(500, response.statusCode());
            if (container() == ServletContainer.Kind.UNDERTOW) {
                // Undertow's error page for an exception drops every header the response had,
                // Set-Cookie too: the new session is stored, but its cookie never arrives.
                assertNull(browser.sessionSetCookie(response), response.headers().map().toString());
                assertEquals(1, store.backend.saves.get(), "saves");
                return;
            }
            assertSavedOnce(response, "throw");
        }
    }
}
