package io.sessionkit.spring.boot;

import io.sessionkit.Session;
import io.sessionkit.SessionListener;
import io.sessionkit.spring.boot.app.LoginApplication;
import io.sessionkit.testsupport.RedisServerProcess;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The application's listener beans hear SessionKit's sessions: the servlet container would call
 * its {@code HttpSessionListener}s only for sessions of its own, which requests behind the
 * filter never have.
 */
class SessionEventsTest {

    @Test
    @DisplayName("servlet and SessionKit listener beans hear a session created, its new id at login and its end at logout, once each")
    void listenerBeansHearTheSessionsEvents() throws Exception {
        RedisServerProcess redis = RedisServerProcess.start();
        ServletListener servlet = new ServletListener();
        EngineListener engine = new EngineListener();
        try (RunningApplication application = RunningApplication.start(
                Map.of("sessionkit.type", "redis", "sessionkit.redis.url", redis.url()), context -> {
                    context.registerBean(ServletListener.class, () -> servlet);
                    context.registerBean(EngineListener.class, () -> engine);
                })) {
            Browser browser = new Browser(application.port());
            browser.get("/login"); // the login form's CSRF token starts a session
            String anonymous = browser.cookie("session");
            browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD);
            String loggedIn = browser.cookie("session");
            HttpResponse<String> me = browser.get("/me");
            assertEquals(302, browser.post("/logout", Map.of("_csrf", Browser.csrfOf(me))).statusCode());

            assertEquals(List.of("created " + anonymous, "idChanged " + anonymous + " to " + loggedIn,
                    "destroyed " + loggedIn), servlet.events);
            assertEquals(List.of("created " + anonymous, "idChanged " + anonymous + " to " + loggedIn,
                    "invalidated " + loggedIn), engine.events);
        } finally {
            redis.close();
        }
    }

    /** Both kinds of servlet listener in one bean, as Spring Security's {@code HttpSessionEventPublisher} is. */
    static final class ServletListener implements HttpSessionListener, HttpSessionIdListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void sessionCreated(HttpSessionEvent event) {
            events.add("created " + event.getSession().getId());
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            events.add("idChanged " + oldSessionId + " to " + event.getSession().getId());
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            events.add("destroyed " + event.getSession().getId());
        }
    }

    static final class EngineListener implements SessionListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void created(Session session) {
            events.add("created " + session.id());
        }

        @Override
        public void idChanged(Session session, String previousId) {
            events.add("idChanged " + previousId + " to " + session.id());
        }

        @Override
        public void invalidated(String id) {
            events.add("invalidated " + id);
        }
    }
}
