package io.sessionkit.bench.http;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

import java.util.List;

/**
 * One way of keeping the visitors' sessions: builds the servlet context that serves the
 * {@link CartServlet} with that session storage. {@link CartServer} serves any such mode, so a
 * second server with another classpath (another Spring generation) supplies its own modes and
 * keeps the servlet, the container and the seeding identical.
 */
public interface CartMode {

    /**
     * Builds the servlet context of this mode.
     *
     * @param stores    where the stores listen
     * @param size      what a visitor's session holds
     * @param resources receives what must be closed when the server stops
     * @return the context, serving the cart servlet at {@code /}
     */
    ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources);
}
