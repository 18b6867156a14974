package io.sessionkit.servlet.testing;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import io.sessionkit.testsupport.FrozenStoreRequests;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

/**
 * The application the stores' end-to-end tests run: embedded Jetty on a free loopback port with
 * {@link SessionKitFilter} in front of {@code GET /count}, which counts the requests of one
 * session. Shared with the store modules through this module's test jar.
 */
public final class CounterApplication implements AutoCloseable, FrozenStoreRequests.CountingApplication {

    private final Server jetty;
    private final ServerConnector connector;
    private final HttpClient http = HttpClient.newHttpClient();

    private CounterApplication(SessionConfig config) throws Exception {
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

    /**
     * @param config the sessions' configuration; the filter builds and closes its engine
     * @return the running application
     * @throws Exception when Jetty cannot start
     */
    public static CounterApplication start(SessionConfig config) throws Exception {
        return new CounterApplication(config);
    }

    /**
     * @param cookie a {@code name=value} cookie to send, or {@code null}
     * @return the answer to {@code GET /count}
     * @throws IOException          when the request fails
     * @throws InterruptedException when interrupted
     */
    @Override
    public HttpResponse<String> count(String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/count"));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Asks until the answer is not 503: a store that came back is reconnected in the background.
     *
     * @param cookie a cookie to send, or {@code null}
     * @param within how long the store may take to be used again
     * @return the first answer that is not 503
     * @throws Exception when the request fails or is interrupted
     */
    @Override
    public HttpResponse<String> countOnceServed(String cookie, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            HttpResponse<String> response = count(cookie);
            if (response.statusCode() != 503) {
                return response;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still 503 " + within + " after the store came back: " + response.body());
            }
            Thread.sleep(100);
        }
    }

    /**
     * @param response an answer that set the session cookie
     * @return the cookie as a browser sends it back: {@code name=value}
     */
    public static String sessionCookie(HttpResponse<String> response) {
        return response.headers().firstValue("Set-Cookie").map(header -> header.split(";", 2)[0])
                .orElseThrow(() -> new AssertionError("no session cookie set: " + response.headers().map()));
    }

    @Override
    public String cookieOf(HttpResponse<String> response) {
        return sessionCookie(response);
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
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
