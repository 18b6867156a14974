package io.sessionkit.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.EnumSet;
import java.util.Map;

/** Embedded Jetty 12 (ee10). */
final class JettyContainer implements ServletContainer {

    private Server server;

    @Override
    public int start(FilterRegistration filter, Map<String, String> contextParameters, HttpServlet servlet)
            throws Exception {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // Jetty answers 431 to headers over 8 KB before any filter runs; raised so that
        // oversized cookies reach SessionKit.
        http.setRequestHeaderSize(64 * 1024);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        contextParameters.forEach(context::setInitParameter);
        FilterHolder holder = filter.instance() != null ? new FilterHolder(filter.instance())
                : new FilterHolder(SessionKitFilter.class);
        filter.initParameters().forEach(holder::setInitParameter);
        // Async support lets routes use startAsync and non-blocking writes.
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD));
        ServletHolder servletHolder = new ServletHolder(servlet);
        servletHolder.setAsyncSupported(true);
        context.addServlet(servletHolder, "/*");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() throws Exception {
        server.stop();
    }
}
