package io.sessionkit.examples.cart;

import io.sessionkit.ConfigKeys;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
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
 * of {@link CartServlet}. The application builds the session engine itself, with
 * {@code SESSION_PRINCIPAL_KEY=user} (the attribute that holds the logged-in name), so that the
 * page can list and end the user's other sessions; closing the server closes the engine.
 */
public final class CartServer implements AutoCloseable {

    /** The session attribute that holds the logged-in name. */
    static final String USER_ATTRIBUTE = "user";

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final SessionInterface sessions;

    private CartServer(Server server, ServerConnector connector, String host, SessionInterface sessions) {
        this.server = server;
        this.connector = connector;
        this.host = host;
        this.sessions = sessions;
    }

    /**
     * Starts the server.
     *
     * @param config the session configuration; its {@code SESSION_TYPE} picks the store, and its
     *               {@code SESSION_PRINCIPAL_KEY} is set to {@value #USER_ATTRIBUTE}
     * @param host   the address to listen on, such as {@code 127.0.0.1}
     * @param port   the port, or 0 for any free one
     * @return the running server
     * @throws Exception when the store cannot be set up or the port cannot be bound
     */
    public static CartServer start(SessionConfig config, String host, int port) throws Exception {
        SessionInterface sessions = SessionInterface.create(
                config.toBuilder().set(ConfigKeys.SESSION_PRINCIPAL_KEY, USER_ATTRIBUTE).build());
        try {
            return start(sessions, config.type(), host, port);
        } catch (Exception | Error e) {
            sessions.close();
            throw e;
        }
    }

    private static CartServer start(SessionInterface sessions, String storeType, String host, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new SessionKitFilter(sessions)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new CartServlet(storeType, sessions)), "/*");
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
        return new CartServer(server, connector, host, sessions);
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
        try {
            server.stop();
        } finally {
            sessions.close();
        }
    }
}
