package io.sessionkit.jdbc;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end through embedded Jetty and {@link SessionKitFilter} on a private PostgreSQL that the
 * test stops and starts: requests answer 503 within the timeout while it is down, and the same
 * application serves the same sessions again once it is back, without a restart.
 */
class PostgresServletTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Generous: only a request that hangs far beyond the store's timeout fails this. */
    private static final Duration ANSWERS_WITHIN = TIMEOUT.multipliedBy(10);

    private static PrivatePostgres postgres;
    private static Server jetty;
    private static ServerConnector connector;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final Logger FILTER_LOG = Logger.getLogger(SessionKitFilter.class.getName());

    @BeforeAll
    static void start() throws Exception {
        // The outage is expected here: keep the filter's error log out of the build output.
        FILTER_LOG.setLevel(Level.OFF);
        postgres = PrivatePostgres.start();
        SessionConfig config = SessionConfig.builder()
                .set("SESSION_TYPE", "jdbc")
                .set(JdbcSettings.URL, postgres.url())
                .set(JdbcSettings.USER, "postgres")
                .set(JdbcSettings.TABLE, "sk_servlet_outage")
                .set(JdbcSettings.TIMEOUT, TIMEOUT)
                .set(JdbcSettings.POOL_SIZE, 2)
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

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        FILTER_LOG.setLevel(null);
    }

    @Test
    @DisplayName("a stopped PostgreSQL answers 503 within the timeout; after its restart the same sessions are served again")
    void databaseOutageAnswers503AndRecovers() throws Exception {
        HttpResponse<String> first = get(null);
        assertEquals(200, first.statusCode());
        assertEquals("1", first.body());
        String cookie = first.headers().firstValue("Set-Cookie").map(header -> header.split(";", 2)[0]).orElseThrow();
        assertEquals("2", get(cookie).body(), "the session was not kept in PostgreSQL");

        postgres.stopServer();
        long started = System.nanoTime();
        HttpResponse<String> duringOutage = get(cookie);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(503, duringOutage.statusCode(), duringOutage.body());
        assertFalse(duringOutage.body().contains("Exception"), duringOutage.body());
        assertTrue(took.compareTo(ANSWERS_WITHIN) < 0, "the 503 took " + took);

        postgres.startServer();
        // The pool reconnects on its own; requests may fail for about one timeout until it has.
        HttpResponse<String> afterRestart = getUntilServed(cookie);
        assertEquals("3", afterRestart.body(), "the session stored before the outage is served again");
    }

    private static HttpResponse<String> getUntilServed(String cookie) throws Exception {
        long deadline = System.nanoTime() + ANSWERS_WITHIN.toNanos();
        while (true) {
            HttpResponse<String> response = get(cookie);
            if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                assertEquals(200, response.statusCode(), "not recovered within " + ANSWERS_WITHIN + ": " + response.body());
                return response;
            }
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> get(String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/count"));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
