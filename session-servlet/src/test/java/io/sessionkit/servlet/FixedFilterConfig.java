package io.sessionkit.servlet;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * A filter configuration with fixed init parameters, for calling {@code init} outside a
 * container. Only parameters are given; the servlet context is Jetty's, with no parameters.
 */
final class FixedFilterConfig implements FilterConfig {

    private final Map<String, String> parameters;
    private final ServletContext context = new org.eclipse.jetty.ee10.servlet.ServletContextHandler().getServletContext();

    FixedFilterConfig(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    @Override
    public String getFilterName() {
        return "sessionkit";
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public String getInitParameter(String name) {
        return parameters.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(parameters.keySet());
    }
}
