package io.sessionkit.servlet;

import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Embedded Tomcat 11. */
final class TomcatContainer implements ServletContainer {

    private Tomcat tomcat;
    private Path baseDirectory;

    @Override
    public int start(FilterRegistration filter, Map<String, String> contextParameters, HttpServlet servlet)
            throws Exception {
        baseDirectory = Files.createTempDirectory("sessionkit-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDirectory.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        // As for Jetty: oversized cookies must reach SessionKit.
        connector.setProperty("maxHttpHeaderSize", String.valueOf(64 * 1024));
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        contextParameters.forEach(context::addParameter);
        FilterDef definition = new FilterDef();
        definition.setFilterName("sessionkit");
        if (filter.instance() != null) {
            definition.setFilter(filter.instance());
            definition.setFilterClass(filter.instance().getClass().getName());
        } else {
            definition.setFilterClass(SessionKitFilter.class.getName());
        }
        filter.initParameters().forEach(definition::addInitParameter);
        definition.setAsyncSupported("true");
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("sessionkit");
        mapping.addURLPattern("/*");
        mapping.setDispatcher("REQUEST");
        mapping.setDispatcher("FORWARD");
        context.addFilterMap(mapping);
        Wrapper wrapper = Tomcat.addServlet(context, "routes", servlet);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "routes");
        tomcat.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        try (Stream<Path> files = Files.walk(baseDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
