package io.sessionkit.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The container's error page, dispatched after the request's chain ended and its session was
 * saved: mapped for {@code ERROR}, the filter serves it the request's session again, opened from
 * the cookie, and saves what the page changes; not mapped, the page sees no session.
 */
class ErrorPageOnTomcatTest {

    @TempDir
    Path storeDirectory;
    @TempDir
    Path tomcatDirectory;

    private FileSystemStore store;
    private Tomcat tomcat;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        store.engine.close();
    }

    @Test
    void mappedForErrorTheErrorPageSeesAndChangesTheRequestsSession() throws Exception {
        int port = start(true);
        String cookie = logIn(port);

        HttpResponse<String> teapot = get(port, "/teapot", cookie);
        assertEquals(418, teapot.statusCode());
        assertEquals("user=alice errors=1", teapot.body());
        assertEquals("user=alice errors=2", get(port, "/teapot", cookie).body(), "the error page's change was saved");
        assertEquals("user=alice", get(port, "/read", cookie).body(), "the next request is served as usual");
    }

    @Test
    void notMappedForErrorTheErrorPageSeesNoSession() throws Exception {
        int port = start(false);
        String cookie = logIn(port);

        HttpResponse<String> teapot = get(port, "/teapot", cookie);
        assertEquals(418, teapot.statusCode());
        assertEquals("user=null errors=null", teapot.body());
    }

    private static String logIn(int port) throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.split(";", 2)[0];
    }

    private HttpResponse<String> get(int port, String path, String cookie) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int start(boolean mappedForError) throws Exception {
        store = new FileSystemStore(storeDirectory);
        tomcat = new Tomcat();
        tomcat.setBaseDir(tomcatDirectory.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        FilterDef definition = new FilterDef();
        definition.setFilterName("sessionkit");
        definition.setFilter(new SessionKitFilter(store.engine));
        definition.setFilterClass(SessionKitFilter.class.getName());
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("sessionkit");
        mapping.addURLPattern("/*");
        mapping.setDispatcher("REQUEST");
        if (mappedForError) {
            mapping.setDispatcher("ERROR");
        }
        context.addFilterMap(mapping);
        ErrorPage teapotPage = new ErrorPage();
        teapotPage.setErrorCode(418);
        teapotPage.setLocation("/error-page");
        context.addErrorPage(teapotPage);
        Tomcat.addServlet(context, "pages", new Pages());
        context.addServletMappingDecoded("/*", "pages");
        tomcat.start();
        return connector.getLocalPort();
    }

    private static final class Pages extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            switch (request.getRequestURI()) {
                case "/login" -> request.getSession().setAttribute("user", "alice");
                case "/read" -> response.getWriter().print("user=" + request.getSession().getAttribute("user"));
                case "/teapot" -> response.sendError(418);
                case "/error-page" -> {
                    HttpSession session = request.getSession(false);
                    if (session == null) {
                        response.getWriter().print("user=null errors=null");
                        return;
                    }
                    Number errors = (Number) session.getAttribute("errors");
                    int count = errors == null ? 1 : errors.intValue() + 1;
                    session.setAttribute("errors", count);
                    response.getWriter().print("user=" + session.getAttribute("user") + " errors=" + count);
                }
                default -> response.sendError(404);
            }
        }
    }
}
