package io.sessionkit.servlet;

import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The details of the {@link HttpSession} view and of the request's session queries that
 * {@link HttpSessionMappingTest} leaves out: times, context, the id after invalidation, refused
 * names, and requests with several session cookies.
 */
class HttpSessionViewTest {

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory, Map.of("PERMANENT_SESSION_LIFETIME", "PT2H"));
        server = TestServer.start(new SessionKitFilter(store.engine))
                .route("/put", (request, response) -> request.getSession().setAttribute("k", "v"))
                .route("/valid", (request, response) -> response.getWriter().print("valid=" + request.isRequestedSessionIdValid()))
                .route("/get", (request, response) -> {
                    HttpSession session = request.getSession(false);
                    response.getWriter().print(session == null ? "no session" : "k=" + session.getAttribute("k"));
                })
                .route("/times", (request, response) -> {
                    HttpSession session = request.getSession();
                    response.getWriter().print(session.getCreationTime() + " " + session.getLastAccessedTime());
                })
                .route("/context", (request, response) -> response.getWriter()
                        .print("same=" + (request.getSession().getServletContext() == request.getServletContext())))
                .route("/invalidate", (request, response) -> {
                    HttpSession session = request.getSession();
                    String id = session.getId();
                    boolean validBefore = request.isRequestedSessionIdValid();
                    session.invalidate();
                    response.getWriter().print("same-id=" + id.equals(session.getId()) + " valid-before=" + validBefore
                            + " valid-after=" + request.isRequestedSessionIdValid()
                            + " interval=" + session.getMaxInactiveInterval());
                })
                .route("/null-name", (request, response) -> {
                    try {
                        request.getSession().setAttribute(null, "x");
                        response.getWriter().print("accepted");
                    } catch (IllegalArgumentException refused) {
                        response.getWriter().print("refused: " + refused.getMessage());
                    }
                })
                .route("/map-then-probe", (request, response) -> {
                    SessionKitFilter.session(request).put("k", "from-map");
                    response.getWriter().print("session=" + (request.getSession(false) != null));
                })
                .route("/vary-star", (request, response) -> {
                    response.setHeader("Vary", "*");
                    request.getSession().setAttribute("k", "v");
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    @Test
    void creationAndLastAccessTimesAreWhenTheRequestFirstUsedItsSession() throws Exception {
        long before = System.currentTimeMillis();
        String[] times = browser.get("/times").body().split(" ");
        long after = System.currentTimeMillis();
        long created = Long.parseLong(times[0]);
        assertTrue(created >= before && created <= after, created + " not within " + before + ".." + after);
        assertEquals(created, Long.parseLong(times[1]));
    }

    @Test
    void theSessionBelongsToTheRequestsServletContext() throws Exception {
        assertEquals("same=true", browser.get("/context").body());
    }

    @Test
    void anInvalidatedSessionKeepsItsIdAndTheRequestedIdIsNoLongerValid() throws Exception {
        browser.get("/put");
        assertEquals("same-id=true valid-before=true valid-after=false interval=7200", browser.get("/invalidate").body());
    }

    @Test
    void theRequestedIdIsValidBeforeTheSessionIsAskedFor() throws Exception {
        assertEquals("valid=false", browser.get("/valid").body(), "no cookie");
        browser.get("/put");
        assertEquals("valid=true", browser.get("/valid").body());
    }

    @Test
    void aNullAttributeNameIsRefused() throws Exception {
        HttpResponse<String> response = browser.get("/null-name");
        assertEquals("refused: session attribute name must not be null", response.body());
        assertNull(browser.sessionSetCookie(response), "nothing was stored");
    }

    @Test
    void aSessionCreatedThroughTheMapViewIsSeenByGetSessionFalse() throws Exception {
        assertEquals("session=true", browser.get("/map-then-probe").body());
        assertEquals("k=from-map", browser.get("/get").body());
    }

    @Test
    void varyStarAlreadyCoversTheCookie() throws Exception {
        HttpResponse<String> response = browser.get("/vary-star");
        assertNotNull(browser.sessionSetCookie(response));
        assertEquals(List.of("*"), response.headers().allValues("Vary"));
    }

    @Test
    void ofSeveralSessionCookiesNoneStoredTheRequestGetsOneFreshSession() throws Exception {
        String unknown1 = "A".repeat(43);
        String unknown2 = "B".repeat(43);
        HttpResponse<String> response = browser.getWithCookieHeader("/put", "session=" + unknown1 + "; session=" + unknown2);
        assertEquals(200, response.statusCode(), response.body());
        String cookie = browser.valueOf(browser.sessionSetCookie(response));
        assertNotEquals(unknown1, cookie);
        assertNotEquals(unknown2, cookie);
        assertEquals("k=v", browser.getWithCookieHeader("/get", "session=" + cookie).body());
    }
}
