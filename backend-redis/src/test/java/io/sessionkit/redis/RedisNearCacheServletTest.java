package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import io.sessionkit.testsupport.RedisServerProcess;
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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two application nodes, each an embedded Jetty with the filter and {@code SESSION_NEAR_CACHE},
 * on one private Redis; one browser whose requests alternate between them. Every answer is
 * checked against the last acknowledged write: a node that served a copy made stale by the other
 * node's write would answer an older count.
 */
class RedisNearCacheServletTest {

    private static final int REQUESTS = 100_000;

    private static RedisServerProcess redis;
    private static Node a;
    private static Node b;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "redis").set("SESSION_REDIS", redis.url())
                .set("SESSION_NEAR_CACHE", "1000").set("SESSION_REFRESH_MIN_INTERVAL", "PT5M").build();
        a = new Node(config);
        b = new Node(config);
    }

    @AfterAll
    static void stop() throws Exception {
        a.close();
        b.close();
        redis.close();
    }

    private HttpResponse<String> send(Node node, String method, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/count"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    @Test
    void aBrowserAlternatingBetweenTwoNodesNeverReadsAStaleSession() throws Exception {
        HttpResponse<String> first = send(a, "POST", null);
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertEquals("1", first.body());

        Map<String, Long> before = redis.commandCalls();
        List<String> stale = new ArrayList<>();
        int requests = 1;
        for (int count = 2; requests < REQUESTS; count++) {
            Node writer = count % 2 == 0 ? b : a;
            Node reader = count % 2 == 0 ? a : b;
            String incremented = send(writer, "POST", cookie).body();
            if (!String.valueOf(count).equals(incremented)) {
                stale.add("increment to " + count + " answered " + incremented); // it started from an older count
            }
            for (int read = 0; read < 3; read++) {
                String answer = send(reader, "GET", cookie).body();
                if (!String.valueOf(count).equals(answer)) {
                    stale.add("read " + (read + 1) + " after the increment to " + count + " answered " + answer);
                }
            }
            requests += 4;
        }
        assertEquals(List.of(), stale, "answers that missed the other node's acknowledged write, of " + requests + " requests");

        // Without the near cache each round costs five round trips: a read and a save for the
        // increment, a read for each of the three reads. With it the reader's second and third
        // reads come from memory; the writer's confirmation of its copy is the one added.
        Map<String, Long> after = redis.commandCalls();
        // Scripts, and reads with expiry (a pipelined GET and PTTL): one round trip each.
        long roundTrips = delta(before, after, "evalsha") + delta(before, after, "pttl");
        double perRound = roundTrips * 4.0 / requests;
        assertTrue(perRound <= 4.2, "round trips per round of an increment and three reads: " + perRound);
    }

    /** An application node: embedded Jetty, the filter, {@code POST /count} increments and {@code GET /count} reads. */
    private static final class Node implements AutoCloseable {
        private final Server jetty = new Server();
        private final ServerConnector connector = new ServerConnector(jetty);

        Node(SessionConfig config) throws Exception {
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.addFilter(new FilterHolder(new SessionKitFilter(config)), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new CountServlet()), "/count");
            jetty.setHandler(context);
            jetty.start();
        }

        int port() {
            return connector.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            jetty.stop();
        }
    }

    private static final class CountServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print(request.getSession().getAttribute("count"));
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object previous = request.getSession().getAttribute("count");
            int count = previous == null ? 1 : ((Number) previous).intValue() + 1;
            request.getSession().setAttribute("count", count);
            response.getWriter().print(count);
        }
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }
}
