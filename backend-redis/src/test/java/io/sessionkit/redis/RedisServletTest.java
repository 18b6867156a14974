package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.testing.CounterApplication;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.sessionkit.servlet.testing.CounterApplication.sessionCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * End to end through embedded Jetty and the servlet filter: sessions kept in a private Redis,
 * {@code 503} while Redis is down, and service again once it is back.
 */
class RedisServletTest {

    private RedisServerProcess redis;
    private CounterApplication application;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        application = CounterApplication.start(SessionConfig.builder()
                .set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", redis.url())
                .set("SESSION_REDIS_CONNECT_TIMEOUT", "PT0.5S")
                .set("SESSION_REDIS_TIMEOUT", "PT0.5S")
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        application.close();
        redis.close();
    }

    @Test
    @DisplayName("a stopped Redis answers 503, and the same application serves sessions again after a restart")
    void storeOutageAnswers503() throws Exception {
        HttpResponse<String> first = application.count(null);
        assertEquals(200, first.statusCode());
        assertEquals("1", first.body());
        String cookie = sessionCookie(first);
        assertEquals("2", application.count(cookie).body(), "the session was not kept in Redis");

        redis.stop();
        assertEquals(503, application.count(cookie).statusCode());

        redis.restart();
        // The restarted server kept nothing (no persistence), so the count starts over.
        HttpResponse<String> afterRestart = application.count(cookie);
        assertEquals(200, afterRestart.statusCode());
        assertEquals("1", afterRestart.body());
    }
}
