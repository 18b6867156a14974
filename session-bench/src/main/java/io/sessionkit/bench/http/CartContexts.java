package io.sessionkit.bench.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

import java.util.EnumSet;

/**
 * The two shapes of servlet context the modes use: the cart servlet with a storage of its own,
 * or the cart servlet on {@code HttpSession} behind a session filter.
 */
public final class CartContexts {

    private CartContexts() {
    }

    /**
     * @param filter a filter that replaces the request's {@code HttpSession} (SessionKit's,
     *               Spring Session's)
     * @param size   what a visitor's session holds
     * @return a context with Jetty's own sessions off, the filter on every request
     */
    public static ServletContextHandler behindSessionFilter(Filter filter, SessionSize size) {
        ServletContextHandler context = servletOnly(new HttpSessionCartStorage(), size, ServletContextHandler.NO_SESSIONS);
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        return context;
    }

    static ServletContextHandler servletOnly(CartStorage storage, SessionSize size, int options) {
        ServletContextHandler context = new ServletContextHandler(options);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new CartServlet(storage, size)), "/");
        return context;
    }
}
