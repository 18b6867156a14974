package io.sessionkit.micrometer;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Requests the servlet filter answers 503 because the backend failed are counted: embedded Jetty,
 * the filter on a metered engine on the filesystem, and a backend that is closed mid-way.
 */
class UnavailableRequestsTest {

    @TempDir
    Path directory;

    private MeteredEngine engine;
    private Server jetty;
    private ServerConnector connector;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Logger.getLogger(SessionKitFilter.class.getName()).setUseParentHandlers(false); // the failure is expected
        engine = new MeteredEngine(directory, Map.of());
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new SessionKitFilter(engine.sessions)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                Object count = request.getSession().getAttribute("count");
                request.getSession().setAttribute("count", count == null ? 1 : ((Number) count).intValue() + 1);
                response.getWriter().print("counted");
            }
        }), "/count");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
        engine.close();
        Logger.getLogger(SessionKitFilter.class.getName()).setUseParentHandlers(true);
    }

    private HttpResponse<String> count(String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/count"));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestAnswered503BecauseTheBackendIsGoneIsCounted() throws Exception {
        HttpResponse<String> first = count(null);
        assertEquals(200, first.statusCode());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertEquals(200, count(cookie).statusCode());
        assertEquals(0, engine.counter(MeterNames.UNAVAILABLE));

        engine.sessions.close(); // every operation of a closed backend fails, as an unreachable one's does
        assertEquals(503, count(cookie).statusCode());
        assertEquals(503, count(cookie).statusCode());

        assertEquals(2, engine.counter(MeterNames.UNAVAILABLE));
        assertEquals(2, engine.timed("loadVersioned", "error"));
        assertEquals(1, engine.sessions("created"));
    }
}
