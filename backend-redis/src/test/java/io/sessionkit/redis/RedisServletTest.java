package io.sessionkit.redis;

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
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * End to end through embedded Jetty and {@link SessionKitFilter}: sessions kept in a private
 * Redis, {@code 503} while Redis is down, and service again once it is back.
 */
class RedisServletTest {

    private RedisServerProcess redis;
    private Server jetty;
    private ServerConnector connector;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        SessionConfig config = SessionConfig.builder()
                .set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", redis.url())
                .set("SESSION_REDIS_CONNECT_TIMEOUT", "PT0.5S")
                .set("SESSION_REDIS_TIMEOUT", "PT0.5S")
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
        redis.close();
    }

    @Test
    @DisplayName("a stopped Redis answers 503, and the same application serves sessions again after a restart")
    void storeOutageAnswers503() throws Exception {
        HttpResponse<String> first = get(null);
        assertEquals(200, first.statusCode());
        assertEquals("1", first.body());
        String cookie = first.headers().firstValue("Set-Cookie").map(header -> header.split(";", 2)[0]).orElse(null);
        assertNotNull(cookie, "no session cookie set");
        assertEquals("2", get(cookie).body(), "the session was not kept in Redis");

        redis.stop();
        assertEquals(503, get(cookie).statusCode());

        redis.restart();
        // The restarted server kept nothing (no persistence), so the count starts over.
        HttpResponse<String> afterRestart = get(cookie);
        assertEquals(200, afterRestart.statusCode());
        assertEquals("1", afterRestart.body());
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
