package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.util.EnumSet;

/**
 * The cart application on an embedded Jetty 12 server, with {@link SessionKitFilter} in front
 * of {@link CartServlet}. Stopping the server destroys the filter, which closes the store.
 */
public final class CartServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    private CartServer(Server server, ServerConnector connector, String host) {
        this.server = server;
        this.connector = connector;
        this.host = host;
    }

    /**
     * Starts the server.
     *
     * @param config the session configuration; its {@code SESSION_TYPE} picks the store
     * @param host   the address to listen on, such as {@code 127.0.0.1}
     * @param port   the port, or 0 for any free one
     * @return the running server
     * @throws Exception when the store cannot be set up or the port cannot be bound
     */
    public static CartServer start(SessionConfig config, String host, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new SessionKitFilter(config)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new CartServlet(config.type())), "/*");
        server.setHandler(context);
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("the cart application did not start; the log above says why");
        }
        return new CartServer(server, connector, host);
    }

    /**
     * @return the address the page is served on, such as {@code http://127.0.0.1:8080/}
     */
    public URI uri() {
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /**
     * Blocks until the server stops.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
