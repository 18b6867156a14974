package io.sessionkit.servlet;

import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Servlet session listeners hear about SessionKit's sessions on a real Jetty: created at log-in,
 * the id change, and the end at log-out, each after the backend did it; binding listeners hear
 * when a value is bound to and unbound from the session.
 */
class SessionListenersTest {

    /** The container these tests run on; subclasses name the others. */
    ServletContainer.Kind container() {
        return ServletContainer.Kind.JETTY;
    }

    static final Queue<String> HEARD = new ConcurrentLinkedQueue<>();

    /** Registered by class name, as web.xml would, and records what the backend held when it heard. */
    public static class RecordingListener implements HttpSessionListener, HttpSessionIdListener {
        @Override
        public void sessionCreated(HttpSessionEvent event) {
            HEARD.add("created " + event.getSession().getId() + " user=" + event.getSession().getAttribute("user"));
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            HEARD.add("idChanged " + oldSessionId + " -> " + event.getSession().getId());
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            HEARD.add("destroyed " + event.getSession().getId() + " context=" + (event.getSession().getServletContext() != null));
        }
    }

    /** Fails on every event: the requests must not notice. */
    public static class FailingListener implements HttpSessionListener {
        @Override
        public void sessionCreated(HttpSessionEvent event) {
            throw new IllegalStateException("listener bug");
        }
    }

    /** Hears only id changes. */
    public static class IdChangeListener implements HttpSessionIdListener {
        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            HEARD.add("idChanged only " + oldSessionId + " -> " + event.getSession().getId());
        }
    }

    /** A bound value whose listener fails: the request goes on. */
    record FailingToken() implements HttpSessionBindingListener {
        @Override
        public void valueBound(HttpSessionBindingEvent event) {
            throw new IllegalStateException("binding listener bug");
        }
    }

    record Token(String name) implements HttpSessionBindingListener {
        @Override
        public void valueBound(HttpSessionBindingEvent event) {
            HEARD.add("bound " + event.getName() + "=" + name);
        }

        @Override
        public void valueUnbound(HttpSessionBindingEvent event) {
            HEARD.add("unbound " + event.getName() + "=" + name);
        }
    }

    @TempDir
    Path storeDirectory;

    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        HEARD.clear();
    }

    private TestBrowser startWithListeners(String listenerClasses) throws Exception {
        server = TestServer.startByClassName(container(), Map.of(), Map.of(
                "SESSION_TYPE", "filesystem",
                "SESSION_FILE_DIR", storeDirectory.toString(),
                SessionKitFilter.SESSION_LISTENERS_PARAMETER, listenerClasses))
                .route("/login", (request, response) -> {
                    request.getSession().setAttribute("user", "ada");
                    response.getWriter().print(request.getSession().getId());
                })
                .route("/rotate", (request, response) -> response.getWriter().print(request.changeSessionId()))
                .route("/logout", (request, response) -> request.getSession().invalidate())
                .route("/bind-failing", (request, response) -> {
                    request.getSession().setAttribute("token", new FailingToken());
                    response.getWriter().print("stored=" + (request.getSession().getAttribute("token") != null));
                })
                .route("/bind", (request, response) -> {
                    var session = request.getSession();
                    session.setAttribute("token", new Token("first"));
                    session.setAttribute("token", new Token("second"));
                    session.removeAttribute("token");
                    session.setAttribute("token", new Token("third"));
                    session.invalidate();
                });
        return new TestBrowser(server);
    }

    @Test
    void listenersRegisteredByClassNameHearTheWholeLife() throws Exception {
        TestBrowser browser = startWithListeners(RecordingListener.class.getName() + ", " + FailingListener.class.getName());
        var login = browser.get("/login");
        assertEquals(200, login.statusCode(), "a failing listener fails nothing");
        String id = login.body();
        String newId = browser.get("/rotate").body();
        assertEquals(200, browser.get("/logout").statusCode());
        assertEquals(List.of("created " + id + " user=ada", "idChanged " + id + " -> " + newId,
                "destroyed " + newId + " context=true"), List.copyOf(HEARD));
        assertEquals(java.util.Set.of(), FileSystemStore.files(storeDirectory), "the destroyed session's record is gone");
    }

    @Test
    void boundValuesHearWhenTheyAreBoundReplacedRemovedAndInvalidated() throws Exception {
        TestBrowser browser = startWithListeners(RecordingListener.class.getName());
        assertEquals(200, browser.get("/bind").statusCode());
        assertEquals(List.of("bound token=first", "bound token=second", "unbound token=first", "unbound token=second",
                "bound token=third", "unbound token=third"), List.copyOf(HEARD),
                "no created or destroyed: the session was never stored");
    }

    @Test
    void aListenerOfIdChangesAloneIsCalledAndBlankNamesInTheListAreSkipped() throws Exception {
        TestBrowser browser = startWithListeners(" , " + IdChangeListener.class.getName() + ",");
        String id = browser.get("/login").body();
        String newId = browser.get("/rotate").body();
        assertEquals(List.of("idChanged only " + id + " -> " + newId), List.copyOf(HEARD));
    }

    @Test
    void aBindingListenerThatFailsIsLoggedAndTheRequestGoesOn() throws Exception {
        TestBrowser browser = startWithListeners(RecordingListener.class.getName());
        var response = browser.get("/bind-failing");
        assertEquals(200, response.statusCode());
        assertEquals("stored=true", response.body());
    }

    @Test
    void aFilterGivenItsEngineTellsTheListenersAddedInCodeUntilItIsDestroyed() throws Exception {
        try (io.sessionkit.core.SessionInterface engine = io.sessionkit.core.SessionInterface.create(
                io.sessionkit.core.SessionConfig.builder().set("SESSION_TYPE", "filesystem")
                        .set("SESSION_FILE_DIR", storeDirectory.toString()).build())) {
            SessionKitFilter filter = new SessionKitFilter(engine);
            filter.addListener(new RecordingListener());
            filter.init(null);
            io.sessionkit.Session session = engine.open(null);
            session.put("user", "ada");
            engine.save(session);
            assertEquals(1, HEARD.size(), HEARD.toString());
            assertTrue(HEARD.peek().startsWith("created " + session.id()), HEARD.toString());

            filter.destroy();
            io.sessionkit.Session later = engine.open(null);
            later.put("user", "grace");
            engine.save(later);
            assertEquals(1, HEARD.size(), "a destroyed filter's listeners hear no more: " + HEARD);
        }
    }

    @Test
    void anExpiredSessionIsDestroyedForTheListeners() {
        ContainerSessionListeners bridge = new ContainerSessionListeners();
        bridge.add(new RecordingListener());
        bridge.attach(null, java.time.Duration.ofMinutes(30), java.time.Clock.systemUTC());
        bridge.expired("gone-id");
        assertEquals(List.of("destroyed gone-id context=false"), List.copyOf(HEARD));
    }

    @Test
    void aRevokedSessionIsDestroyedForTheListeners() {
        ContainerSessionListeners bridge = new ContainerSessionListeners();
        bridge.add(new RecordingListener());
        bridge.attach(null, java.time.Duration.ofMinutes(30), java.time.Clock.systemUTC());
        bridge.revoked("revoked-id");
        assertEquals(List.of("destroyed revoked-id context=false"), List.copyOf(HEARD));
    }

    @Test
    void aClassThatIsNoListenerStopsTheFilterWithItsName() {
        SessionKitFilter filter = new SessionKitFilter();
        var error = assertThrows(jakarta.servlet.ServletException.class, () -> filter.init(new FixedFilterConfig(Map.of(
                "SESSION_TYPE", "null", SessionKitFilter.SESSION_LISTENERS_PARAMETER, "java.lang.String"))));
        assertTrue(error.getMessage().startsWith("SessionKitFilter could not start: the sessionListeners init parameter"
                + " names java.lang.String, which is not an HttpSessionListener or HttpSessionIdListener"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> filter.addListener(new java.util.EventListener() { }));
    }
}
