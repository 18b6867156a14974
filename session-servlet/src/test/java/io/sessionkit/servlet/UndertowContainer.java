package io.sessionkit.servlet;

import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;

/** Embedded Undertow 2.3 (Jakarta Servlet). */
final class UndertowContainer implements ServletContainer {

    private Undertow server;
    private DeploymentManager deployment;

    @Override
    public int start(FilterRegistration filter, Map<String, String> contextParameters, HttpServlet servlet)
            throws Exception {
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(UndertowContainer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("sessionkit-" + UUID.randomUUID());
        contextParameters.forEach(info::addInitParameter);
        FilterInfo filterInfo = filter.instance() != null
                ? Servlets.filter("sessionkit", Filter.class, new ImmediateInstanceFactory<>(filter.instance()))
                : Servlets.filter("sessionkit", SessionKitFilter.class);
        filter.initParameters().forEach(filterInfo::addInitParam);
        filterInfo.setAsyncSupported(true);
        info.addFilter(filterInfo);
        info.addFilterUrlMapping("sessionkit", "/*", DispatcherType.REQUEST);
        info.addFilterUrlMapping("sessionkit", "/*", DispatcherType.FORWARD);
        ServletInfo servletInfo = Servlets.servlet("routes", HttpServlet.class, new ImmediateInstanceFactory<>(servlet))
                .addMapping("/*")
                .setAsyncSupported(true);
        info.addServlet(servletInfo);
        deployment = Servlets.newContainer().addDeployment(info);
        deployment.deploy();
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(deployment.start())
                .build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void stop() throws Exception {
        server.stop();
        deployment.stop();
        deployment.undeploy();
    }
}
