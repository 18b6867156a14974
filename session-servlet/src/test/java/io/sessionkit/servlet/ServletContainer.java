package io.sessionkit.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;

import java.util.Map;

/**
 * An embedded servlet container that the end-to-end tests run on: one context at {@code /} with
 * the SessionKit filter mapped to {@code /*} for the {@code REQUEST} and {@code FORWARD} dispatcher
 * types, as docs/servlet.md says, and one
 * async-capable servlet behind it, on a free loopback port.
 */
interface ServletContainer {

    /** The containers that docs/servlet.md names as tested. */
    enum Kind {
        JETTY, TOMCAT, UNDERTOW;

        ServletContainer create() {
            return switch (this) {
                case JETTY -> new JettyContainer();
                case TOMCAT -> new TomcatContainer();
                case UNDERTOW -> new UndertowContainer();
            };
        }
    }

    /**
     * The filter to register: a ready instance, or {@link SessionKitFilter} by class name with
     * init parameters, as {@code web.xml} would.
     */
    record FilterRegistration(Filter instance, Map<String, String> initParameters) {
        static FilterRegistration of(Filter filter) {
            return new FilterRegistration(filter, Map.of());
        }

        static FilterRegistration byClassName(Map<String, String> initParameters) {
            return new FilterRegistration(null, initParameters);
        }
    }

    /**
     * Starts the container.
     *
     * @return the port it listens on
     */
    int start(FilterRegistration filter, Map<String, String> contextParameters, HttpServlet servlet) throws Exception;

    void stop() throws Exception;
}
