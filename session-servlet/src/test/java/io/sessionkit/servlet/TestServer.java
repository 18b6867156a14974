package io.sessionkit.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An embedded Jetty 12 (ee10) server on a free loopback port with {@link SessionKitFilter} in
 * front of one servlet that dispatches on the request path to the test's routes.
 */
final class TestServer implements AutoCloseable {

    /** What one route does; may throw anything, as a servlet may. */
    @FunctionalInterface
    interface Route {
        void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    private final Server server;
    private final ServletContextHandler context;
    private final ServerConnector connector;
    private final Map<String, Route> routes = new LinkedHashMap<>();

    private TestServer(FilterHolder filter, Map<String, String> contextParameters) throws Exception {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // Jetty answers 431 to headers over 8 KB before any filter runs; raised so that
        // oversized cookies reach SessionKit.
        http.setRequestHeaderSize(64 * 1024);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        context = new ServletContextHandler();
        context.setContextPath("/");
        contextParameters.forEach(context::setInitParameter);
        // Async support lets routes use startAsync and non-blocking writes.
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servlet = new ServletHolder(new RoutingServlet());
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/*");
        server.setHandler(context);
        server.start();
    }

    static TestServer start(Filter filter) throws Exception {
        return new TestServer(new FilterHolder(filter), Map.of());
    }

    /**
     * Registers the filter by class, as {@code web.xml} does, with init parameters.
     */
    static TestServer startByClassName(Map<String, String> contextParameters, Map<String, String> filterParameters)
            throws Exception {
        FilterHolder holder = new FilterHolder(SessionKitFilter.class);
        filterParameters.forEach(holder::setInitParameter);
        return new TestServer(holder, contextParameters);
    }

    TestServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class RoutingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws java.io.IOException, jakarta.servlet.ServletException {
            Route route = routes.get(request.getRequestURI());
            if (route == null) {
                response.sendError(404, "no test route " + request.getRequestURI());
                return;
            }
            try {
                route.handle(request, response);
            } catch (RuntimeException | java.io.IOException | jakarta.servlet.ServletException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
