package io.sessionkit.servlet;

import io.sessionkit.Session;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code request.getSession()} and friends, answered by SessionKit, through real HTTP.
 */
class HttpSessionMappingTest {

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
        store = new FileSystemStore(storeDirectory, Map.of("PERMANENT_SESSION_LIFETIME", "PT2H"));
        server = TestServer.start(container(), new SessionKitFilter(store.engine))
                .route("/put", (request, response) -> {
                    HttpSession session = request.getSession();
                    session.setAttribute(request.getParameter("key"), request.getParameter("value"));
                    response.getWriter().print("new=" + session.isNew());
                })
                .route("/get", (request, response) -> {
                    HttpSession session = request.getSession(false);
                    response.getWriter().print(session == null ? "no session"
                            : "value=" + session.getAttribute(request.getParameter("key")) + " new=" + session.isNew());
                })
                .route("/names", (request, response) -> response.getWriter()
                        .print(new TreeSet<>(Collections.list(request.getSession().getAttributeNames()))))
                .route("/remove", (request, response) -> request.getSession().removeAttribute(request.getParameter("key")))
                .route("/set-null", (request, response) -> request.getSession().setAttribute(request.getParameter("key"), null))
                .route("/probe-without-creating", (request, response) -> response.getWriter()
                        .print("session=" + request.getSession(false) + " requested=" + request.getRequestedSessionId()
                                + " valid=" + request.isRequestedSessionIdValid()))
                .route("/requested", (request, response) -> response.getWriter()
                        .print("valid=" + request.isRequestedSessionIdValid() + " fromCookie="
                                + request.isRequestedSessionIdFromCookie() + " fromURL=" + request.isRequestedSessionIdFromURL()))
                .route("/create-empty", (request, response) -> response.getWriter().print("id=" + request.getSession(true).getId()))
                .route("/invalidate", (request, response) -> {
                    HttpSession session = request.getSession();
                    session.invalidate();
                    StringBuilder failures = new StringBuilder();
                    for (Runnable use : new Runnable[] {
                            () -> session.getAttribute("x"), () -> session.setAttribute("x", "y"),
                            () -> session.removeAttribute("x"), session::getAttributeNames, session::isNew,
                            session::getCreationTime, session::getLastAccessedTime, session::invalidate}) {
                        try {
                            use.run();
                        } catch (IllegalStateException expected) {
                            failures.append('!');
                        }
                    }
                    response.getWriter().print("illegal-state=" + failures.length()
                            + " after=" + request.getSession(false));
                })
                .route("/invalidate-and-start-over", (request, response) -> {
                    request.getSession().invalidate();
                    request.getSession(true).setAttribute("fresh", "yes");
                })
                .route("/change-id", (request, response) -> {
                    String before = request.getSession().getId();
                    String after = request.changeSessionId();
                    response.getWriter().print(before + " -> " + after + " now " + request.getSession().getId());
                })
                .route("/change-id-without-session", (request, response) -> {
                    try {
                        request.changeSessionId();
                        response.getWriter().print("no exception");
                    } catch (IllegalStateException expected) {
                        response.getWriter().print("illegal-state");
                    }
                })
                .route("/intervals", (request, response) -> {
                    HttpSession session = request.getSession();
                    int before = session.getMaxInactiveInterval();
                    session.setMaxInactiveInterval(60);
                    response.getWriter().print(before + " " + session.getMaxInactiveInterval());
                })
                .route("/map-view", (request, response) -> {
                    Session session = SessionKitFilter.session(request);
                    session.put("from-map", 42);
                    response.getWriter().print("http=" + request.getSession().getAttribute("from-map"));
                })
                .route("/vary-preset", (request, response) -> {
                    response.setHeader("Vary", "Accept-Encoding, cookie");
                    request.getSession().setAttribute("k", "v");
                })
                .route("/vary-other", (request, response) -> {
                    response.setHeader("Vary", "Accept-Encoding");
                    request.getSession().setAttribute("k", "v");
                })
                .route("/untouched", (request, response) -> response.getWriter().print("hello"));
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    @Test
    void attributesPersistAcrossRequests() throws Exception {
        assertEquals("new=true", browser.get("/put?key=colour&value=blue").body());
        assertEquals("new=false", browser.get("/put?key=size&value=L").body());
        assertEquals("value=blue new=false", browser.get("/get?key=colour").body());
        assertEquals("[colour, size]", browser.get("/names").body());
        browser.get("/remove?key=colour");
        browser.get("/set-null?key=size");
        assertEquals("[]", browser.get("/names").body());
    }

    @Test
    void getSessionFalseWithoutACookieReturnsNullWithoutTouchingTheStore() throws Exception {
        HttpResponse<String> response = browser.get("/probe-without-creating");
        assertEquals("session=null requested=null valid=false", response.body());
        assertEquals(0, store.backend.calls(), "store calls");
        assertNull(browser.sessionSetCookie(response));
        assertTrue(store.files().isEmpty());
    }

    @Test
    void getSessionFalseWithAnUnknownCookieReturnsNullAndExpiresTheCookie() throws Exception {
        String unknownId = "A".repeat(43);
        HttpResponse<String> response = browser.getWithCookieHeader("/probe-without-creating", "session=" + unknownId);
        assertEquals("session=null requested=" + unknownId + " valid=false", response.body());
        assertTrue(browser.sessionSetCookie(response).contains("Max-Age=0"), "the unknown cookie is expired");
        assertTrue(store.files().isEmpty());
    }

    @Test
    void requestedSessionIdQueries() throws Exception {
        assertEquals("valid=false fromCookie=false fromURL=false", browser.get("/requested").body());
        browser.get("/put?key=a&value=b");
        assertEquals("valid=true fromCookie=true fromURL=false", browser.get("/requested").body());
    }

    @Test
    void anEmptySessionIsNotStoredAndGetsNoCookie() throws Exception {
        HttpResponse<String> response = browser.get("/create-empty");
        assertTrue(response.body().startsWith("id="));
        assertNull(browser.sessionSetCookie(response));
        assertTrue(store.files().isEmpty());
    }

    @Test
    void invalidateDeletesTheSessionExpiresTheCookieAndFurtherUseIsIllegal() throws Exception {
        browser.get("/put?key=a&value=b");
        String id = browser.cookieValue();
        assertEquals(Collections.singleton(store.fileNameOf(id)), store.files());

        HttpResponse<String> response = browser.get("/invalidate");
        assertEquals("illegal-state=8 after=null", response.body());
        assertTrue(browser.sessionSetCookie(response).contains("Max-Age=0"));
        assertTrue(store.files().isEmpty(), "stored session deleted");
        assertNull(browser.cookieValue());
    }

    @Test
    void afterInvalidateGetSessionTrueStartsANewSessionWithANewId() throws Exception {
        browser.get("/put?key=a&value=b");
        String oldId = browser.cookieValue();
        browser.get("/invalidate-and-start-over");
        assertNotNull(browser.cookieValue());
        assertNotEquals(oldId, browser.cookieValue());
        assertEquals("value=null new=false", browser.get("/get?key=a").body());
        assertEquals("value=yes new=false", browser.get("/get?key=fresh").body());
        assertEquals(Collections.singleton(store.fileNameOf(browser.cookieValue())), store.files());
    }

    @Test
    void changeSessionIdRegeneratesTheIdKeepsTheDataAndDeletesTheOldRecord() throws Exception {
        browser.get("/put?key=cart&value=apple");
        String oldId = browser.cookieValue();
        String body = browser.get("/change-id").body();
        String newId = browser.cookieValue();
        assertNotEquals(oldId, newId);
        assertEquals(oldId + " -> " + newId + " now " + newId, body);
        assertEquals("value=apple new=false", browser.get("/get?key=cart").body());
        assertEquals(Collections.singleton(store.fileNameOf(newId)), store.files(), "old record deleted");

        browser.cookieValue(oldId);
        assertEquals("no session", browser.get("/get?key=cart").body(), "the old id is worthless");
    }

    @Test
    void changeSessionIdWithoutASessionIsIllegal() throws Exception {
        assertEquals("illegal-state", browser.get("/change-id-without-session").body());
    }

    @Test
    void maxInactiveIntervalStartsAtTheLifetimeAndChangesThisSessionsLifetime() throws Exception {
        browser.get("/put?key=a&value=b");
        HttpResponse<String> response = browser.get("/intervals");
        assertEquals("7200 60", response.body());
        assertTrue(browser.sessionSetCookie(response).contains("Max-Age=60"), browser.sessionSetCookie(response));
        assertEquals("60 60", browser.get("/intervals").body(), "kept in the stored session");
    }

    @Test
    void theMapViewAndTheHttpSessionAreOneSession() throws Exception {
        assertEquals("http=42", browser.get("/map-view").body());
        assertEquals("value=42 new=false", browser.get("/get?key=from-map").body());
    }

    @Test
    void varyCookieIsNotDuplicated() throws Exception {
        HttpResponse<String> response = browser.get("/vary-preset");
        assertEquals(java.util.List.of("Accept-Encoding, cookie"), response.headers().allValues("Vary"));
    }

    @Test
    void varyCookieIsAddedBesideOtherVaryHeaders() throws Exception {
        HttpResponse<String> response = browser.get("/vary-other");
        assertEquals(java.util.List.of("Accept-Encoding", "Cookie"), response.headers().allValues("Vary"));
    }

    @Test
    void aRequestThatNeverUsesItsSessionCostsNothingAndVariesByNothing() throws Exception {
        browser.get("/put?key=a&value=b");
        store.backend.loads.set(0);
        store.backend.saves.set(0);
        HttpResponse<String> response = browser.get("/untouched");
        assertEquals(0, store.backend.calls());
        assertTrue(response.headers().allValues("Vary").isEmpty());
        assertNull(browser.sessionSetCookie(response));
    }

    @Test
    void ofSeveralCookiesWithTheSessionNameTheFirstNamingAStoredSessionWins() throws Exception {
        browser.get("/put?key=who&value=real");
        String real = browser.cookieValue();
        String stale = "B".repeat(43);
        HttpResponse<String> response = browser.getWithCookieHeader("/get?key=who",
                "other=1; session=" + stale + "; session=" + real + "; session=garbage");
        assertEquals("value=real new=false", response.body());
    }
}
