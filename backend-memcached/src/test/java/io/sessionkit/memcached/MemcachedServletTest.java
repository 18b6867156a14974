package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End to end through embedded Jetty and {@link SessionKitFilter} on two memcached servers:
 * with one down, its users get a fresh session and the others keep theirs; with both down,
 * requests are answered 503 until a server is back.
 */
class MemcachedServletTest {

    private MemcachedServer first;
    private MemcachedServer second;
    private Server jetty;
    private ServerConnector connector;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        first = MemcachedServer.launch();
        second = MemcachedServer.launch();
        SessionConfig config = SessionConfig.builder()
                .set("SESSION_TYPE", "memcached")
                .set("SESSION_MEMCACHED", first.address() + "," + second.address())
                .set("SESSION_MEMCACHED_TIMEOUT", Duration.ofMillis(500))
                .build();
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new SessionKitFilter(config)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new CounterServlet()), "/count");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
        first.close();
        second.close();
    }

    @Test
    @DisplayName("one server down: its users start a fresh session, the other server's users keep counting; both down: 503")
    void serverOutages() throws Exception {
        String onFirst = sessionStoredOn(first);
        String onSecond = sessionStoredOn(second);
        assertEquals("2", get(onFirst).body());
        assertEquals("2", get(onSecond).body());

        second.stop();
        HttpResponse<String> lost = get(onSecond);
        assertEquals(200, lost.statusCode(), "a session on the stopped server must give a fresh session, not an error");
        assertEquals("1", lost.body());
        assertEquals("3", get(onFirst).body(), "a session on the running server was lost");

        first.stop();
        assertEquals(503, get(onFirst).statusCode());

        first.start(); // same port, empty: the old session is gone and a fresh one starts
        HttpResponse<String> fresh = awaitAnswer(onFirst);
        assertEquals("1", fresh.body());
        assertEquals("2", get(cookieOf(fresh)).body(), "the application did not keep sessions again after the restart");
    }

    /** Opens sessions until one lands on {@code server}; returns its cookie. */
    private String sessionStoredOn(MemcachedServer server) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            HttpResponse<String> response = get(null);
            assertEquals("1", response.body());
            String cookie = cookieOf(response);
            String id = cookie.substring(cookie.indexOf('=') + 1);
            if (server.holds("session:" + id)) {
                return cookie;
            }
        }
        throw new AssertionError("100 sessions and none stored on " + server.address());
    }

    /** The client reconnects in the background; returns the first answer that is not 503. */
    private HttpResponse<String> awaitAnswer(String cookie) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            HttpResponse<String> response = get(cookie);
            if (response.statusCode() != 503) {
                assertEquals(200, response.statusCode());
                return response;
            }
            if (System.nanoTime() > deadline) {
                fail("still 503 20 s after the restart");
            }
            Thread.sleep(100);
        }
    }

    private static String cookieOf(HttpResponse<String> response) {
        String cookie = response.headers().firstValue("Set-Cookie").map(header -> header.split(";", 2)[0]).orElse(null);
        assertNotNull(cookie, "no session cookie set");
        return cookie;
    }

    private HttpResponse<String> get(String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/count"));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Counts the requests of one session. */
    private static final class CounterServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object previous = request.getSession().getAttribute("count");
            int count = previous == null ? 1 : ((Number) previous).intValue() + 1;
            request.getSession().setAttribute("count", count);
            response.setContentType("text/plain");
            response.getWriter().print(count);
        }
    }
}
