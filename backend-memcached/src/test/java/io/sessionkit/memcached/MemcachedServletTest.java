package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.testing.CounterApplication;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.sessionkit.servlet.testing.CounterApplication.sessionCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * End to end through embedded Jetty and the servlet filter on two memcached servers:
 * with one down, its users get a fresh session and the others keep theirs; with both down,
 * requests are answered 503 until a server is back.
 */
class MemcachedServletTest {

    private MemcachedServerProcess first;
    private MemcachedServerProcess second;
    private CounterApplication application;

    @BeforeEach
    void start() throws Exception {
        first = MemcachedServerProcess.start();
        second = MemcachedServerProcess.start();
        application = CounterApplication.start(SessionConfig.builder()
                .set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", first.address() + "," + second.address())
                .set("SESSION_MEMCACHED_TIMEOUT", Duration.ofMillis(500))
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        application.close();
        first.close();
        second.close();
    }

    @Test
    @DisplayName("one server down: its users start a fresh session, the other server's users keep counting; both down: 503")
    void serverOutages() throws Exception {
        String onFirst = sessionStoredOn(first);
        String onSecond = sessionStoredOn(second);
        assertEquals("2", application.count(onFirst).body());
        assertEquals("2", application.count(onSecond).body());

        second.stop();
        HttpResponse<String> lost = application.count(onSecond);
        assertEquals(200, lost.statusCode(), "a session on the stopped server must give a fresh session, not an error");
        assertEquals("1", lost.body());
        assertEquals("3", application.count(onFirst).body(), "a session on the running server was lost");

        first.stop();
        assertEquals(503, application.count(onFirst).statusCode());

        first.restart(); // same port, empty: the old session is gone and a fresh one starts
        HttpResponse<String> fresh = application.countOnceServed(onFirst, Duration.ofSeconds(20));
        assertEquals(200, fresh.statusCode());
        assertEquals("1", fresh.body());
        assertEquals("2", application.count(sessionCookie(fresh)).body(),
                "the application did not keep sessions again after the restart");
    }

    /** Opens sessions until one lands on {@code server}; returns its cookie. */
    private String sessionStoredOn(MemcachedServerProcess server) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            HttpResponse<String> response = application.count(null);
            assertEquals("1", response.body());
            String cookie = sessionCookie(response);
            String id = cookie.substring(cookie.indexOf('=') + 1);
            if (server.holds("session:" + id)) {
                return cookie;
            }
        }
        throw new AssertionError("100 sessions and none stored on " + server.address());
    }
}
