package io.sessionkit.spring.boot;

import io.sessionkit.spring.boot.app.LoginApplication;
import io.sessionkit.spring.boot.health.SessionStoreHealthIndicator;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a logged-in user and the health endpoint see when the store goes away. */
class StoreOutageTest {

    @Test
    @DisplayName("with the store down, a request that needs the session is answered 503 and the health is DOWN")
    void storeDown() throws Exception {
        RedisServerProcess redis = RedisServerProcess.start();
        try (RunningApplication application = RunningApplication.start(Map.of("sessionkit.type", "redis",
                "sessionkit.redis.url", redis.url(), "sessionkit.redis.timeout", "1", "sessionkit.redis.connect-timeout", "1"))) {
            Browser browser = new Browser(application.port());
            browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD);
            assertEquals(200, browser.get("/me").statusCode());

            redis.stop();

            HttpResponse<String> me = browser.get("/me");
            assertEquals(503, me.statusCode(), me.body());
            Health health = application.bean(SessionStoreHealthIndicator.class).health();
            assertEquals(Status.DOWN, health.getStatus());
            assertEquals("redis", health.getDetails().get("type"));
            String error = String.valueOf(health.getDetails().get("error"));
            assertTrue(error.contains("SessionBackendException"), error);
            assertFalse(error.contains(browser.cookie("session")), "no session id in the health details: " + error);
        } finally {
            redis.close();
        }
    }
}
