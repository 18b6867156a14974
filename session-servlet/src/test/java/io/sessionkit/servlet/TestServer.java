package io.sessionkit.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedded servlet container (Jetty 12 unless a test names another) on a free loopback port
 * with {@link SessionKitFilter} in front of one servlet that dispatches on the request path to
 * the test's routes.
 */
final class TestServer implements AutoCloseable {

    /** What one route does; may throw anything, as a servlet may. */
    @FunctionalInterface
    interface Route {
        void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    private final ServletContainer container;
    private final int port;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    private TestServer(ServletContainer.Kind kind, ServletContainer.FilterRegistration filter,
                       Map<String, String> contextParameters) throws Exception {
        container = kind.create();
        port = container.start(filter, contextParameters, new RoutingServlet());
    }

    static TestServer start(Filter filter) throws Exception {
        return start(ServletContainer.Kind.JETTY, filter);
    }

    static TestServer start(ServletContainer.Kind kind, Filter filter) throws Exception {
        return new TestServer(kind, ServletContainer.FilterRegistration.of(filter), Map.of());
    }

    /**
     * Registers the filter by class, as {@code web.xml} does, with init parameters.
     */
    static TestServer startByClassName(Map<String, String> contextParameters, Map<String, String> filterParameters)
            throws Exception {
        return startByClassName(ServletContainer.Kind.JETTY, contextParameters, filterParameters);
    }

    static TestServer startByClassName(ServletContainer.Kind kind, Map<String, String> contextParameters,
                                       Map<String, String> filterParameters) throws Exception {
        return new TestServer(kind, ServletContainer.FilterRegistration.byClassName(filterParameters),
                contextParameters);
    }

    TestServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        container.stop();
    }

    private final class RoutingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws java.io.IOException, jakarta.servlet.ServletException {
            // An included resource sees the including request's URI; its own is an attribute.
            String path = request.getDispatcherType() == DispatcherType.INCLUDE
                    ? (String) request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI)
                    : request.getRequestURI();
            Route route = routes.get(path);
            if (route == null) {
                response.sendError(404, "no test route " + path);
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
