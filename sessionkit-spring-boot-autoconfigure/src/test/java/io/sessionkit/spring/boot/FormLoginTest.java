package io.sessionkit.spring.boot;

import io.sessionkit.spring.boot.app.LoginApplication;
import io.sessionkit.spring.boot.health.SessionStoreHealthIndicator;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.RegistrationBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring Security's form login on the embedded Tomcat, its sessions kept by SessionKit in a Redis
 * of the test's own, seen through a real HTTP client.
 */
@SpringBootTest(classes = LoginApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FormLoginTest {

    private static final RedisServerProcess REDIS = RedisServerProcess.start();

    @DynamicPropertySource
    static void sessionStore(DynamicPropertyRegistry properties) {
        properties.add("sessionkit.type", () -> "redis");
        properties.add("sessionkit.redis.url", REDIS::url);
        properties.add("sessionkit.key-prefix", () -> "form-login-" + UUID.randomUUID() + ":");
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Map<String, RegistrationBean> registrations;

    @Autowired
    SessionStoreHealthIndicator health;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    @DisplayName("the session cookie is SessionKit's 'session', and no JSESSIONID is ever set")
    void sessionKitsCookieOnly() throws Exception {
        Browser browser = new Browser(port);
        browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD);
        browser.get("/me");

        assertTrue(browser.cookiesSet().contains("session"), browser.cookiesSet().toString());
        assertFalse(browser.cookiesSet().contains("JSESSIONID"), browser.cookiesSet().toString());
        assertNotNull(browser.cookie("session"));
        assertEquals(null, browser.cookie("JSESSIONID"));
    }

    @Test
    @DisplayName("logging in gives the session a new id, and the logged-in user is seen on the next request")
    void loginChangesTheSessionId() throws Exception {
        Browser browser = new Browser(port);
        HttpResponse<String> loginPage = browser.get("/login");
        assertEquals(200, loginPage.statusCode());
        String before = browser.cookie("session");
        assertNotNull(before, "the login page's CSRF token lives in a SessionKit session");

        HttpResponse<String> login = browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD);
        assertEquals(302, login.statusCode());
        assertFalse(login.headers().firstValue("Location").orElse("").contains("error"), login.headers().map().toString());
        String after = browser.cookie("session");
        assertNotEquals(before, after, "session fixation: the id must change at login");

        HttpResponse<String> me = browser.get("/me");
        assertEquals(200, me.statusCode());
        assertTrue(me.body().startsWith("user=alice ") && me.body().contains("ROLE_USER"), me.body());
        assertTrue(me.body().contains(" session=" + after + " "), "Spring Security and the application see SessionKit's"
                + " session, whose id is the cookie's: " + me.body() + " vs " + after);
    }

    @Test
    @DisplayName("an error page of a logged-in user (an unknown path) sets no JSESSIONID")
    void errorPage() throws Exception {
        Browser browser = new Browser(port);
        browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD);
        HttpResponse<String> missing = browser.get("/no-such-page");

        assertEquals(404, missing.statusCode(), missing.body());
        assertFalse(browser.cookiesSet().contains("JSESSIONID"), browser.cookiesSet().toString());
        assertEquals(200, browser.get("/me").statusCode());
    }

    @Test
    @DisplayName("the old session id is worthless after the login")
    void oldIdIsNotLoggedIn() throws Exception {
        Browser browser = new Browser(port);
        browser.get("/login");
        String before = browser.cookie("session");
        browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD);

        Browser attacker = new Browser(port);
        attacker.setCookie("session", before);
        assertEquals(302, attacker.get("/me").statusCode());
    }

    @Test
    @DisplayName("logging out ends the session: its cookie no longer logs anyone in")
    void logoutEndsTheSession() throws Exception {
        Browser browser = new Browser(port);
        browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD);
        HttpResponse<String> me = browser.get("/me");
        String loggedIn = browser.cookie("session");

        HttpResponse<String> logout = browser.post("/logout", Map.of("_csrf", Browser.csrfOf(me)));
        assertEquals(302, logout.statusCode());
        assertTrue(logout.headers().firstValue("Location").orElse("").endsWith("/login?logout"), logout.headers().map().toString());

        Browser stale = new Browser(port);
        stale.setCookie("session", loggedIn);
        HttpResponse<String> after = stale.get("/me");
        assertEquals(302, after.statusCode());
        assertTrue(after.headers().firstValue("Location").orElse("").endsWith("/login"), after.headers().map().toString());
    }

    @Test
    @DisplayName("SessionKit's filter is registered ahead of Spring Security's filter chain")
    void filterOrder() {
        RegistrationBean sessionKit = registrations.get("sessionKitFilterRegistration");
        // Spring Boot's registration of Spring Security's filter chain, a DelegatingFilterProxy.
        RegistrationBean security = registrations.get("securityFilterChainRegistration");
        assertTrue(security instanceof DelegatingFilterProxyRegistrationBean, registrations.keySet().toString());
        assertEquals(SessionKitAutoConfiguration.FILTER_ORDER, sessionKit.getOrder());
        assertTrue(sessionKit.getOrder() < security.getOrder(), sessionKit.getOrder() + " vs " + security.getOrder());
    }

    @Test
    @DisplayName("the health indicator reports the store UP, with its type")
    void healthUp() {
        var result = health.health();
        assertEquals(Status.UP, result.getStatus());
        assertEquals("redis", result.getDetails().get("type"));
    }

    @Test
    @DisplayName("with session-micrometer present, the Actuator's registry holds the Redis operations and sessions created")
    void metricsInTheActuatorsRegistry() throws Exception {
        new Browser(port).logIn(LoginApplication.USER, LoginApplication.PASSWORD);
        assertTrue(meters.find("sessionkit.backend.operation").tag("type", "redis").timers().stream()
                .mapToLong(io.micrometer.core.instrument.Timer::count).sum() > 0, "Redis operations timed");
        assertTrue(meters.get("sessionkit.sessions").tag("event", "created").counter().count() >= 1, "a session created");
    }
}
