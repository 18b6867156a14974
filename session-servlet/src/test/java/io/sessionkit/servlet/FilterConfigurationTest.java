package io.sessionkit.servlet;

import io.sessionkit.core.SessionConfig;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the filter's configuration comes from, and who closes the engine.
 */
class FilterConfigurationTest {

    @TempDir
    Path directory;

    private static TestServer withPutRoute(TestServer server) {
        return server.route("/put", (request, response) -> request.getSession().setAttribute("k", "v"));
    }

    @Test
    void filterInitParametersOverrideContextInitParameters() throws Exception {
        Path contextDir = Files.createDirectory(directory.resolve("from-context"));
        Path filterDir = Files.createDirectory(directory.resolve("from-filter"));
        try (TestServer server = withPutRoute(TestServer.startByClassName(
                Map.of("SESSION_TYPE", "filesystem", "SESSION_FILE_DIR", contextDir.toString(),
                        "SESSION_COOKIE_NAME", "ctx_sid", "unrelated.context.parameter", "ignored"),
                Map.of("SESSION_FILE_DIR", filterDir.toString())))) {
            TestBrowser browser = new TestBrowser(server, "ctx_sid");
            HttpResponse<String> response = browser.get("/put");
            assertTrue(browser.sessionSetCookie(response) != null, "cookie name from the context parameters");
            assertEquals(1, FileSystemStore.files(filterDir).size(), "store directory from the filter parameters");
            assertEquals(0, FileSystemStore.files(contextDir).size());
        }
    }

    @Test
    void anInvalidParameterStopsTheFilterWithAMessageNamingKeyAndValue() throws Exception {
        SessionKitFilter filter = new SessionKitFilter();
        ServletException failure = assertThrows(ServletException.class,
                () -> filter.init(new FixedFilterConfig(Map.of("SESSION_COOKIE_SAMESITE", "Sometimes",
                        "SESSION_FILE_DIR", directory.toString()))));
        assertTrue(failure.getMessage().contains("SESSION_COOKIE_SAMESITE"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Sometimes"), failure.getMessage());
    }

    @Test
    void anEngineGivenInCodeIsNotClosedByTheFilter() throws Exception {
        FileSystemStore store = new FileSystemStore(directory);
        SessionKitFilter filter = new SessionKitFilter(store.engine);
        try (TestServer server = withPutRoute(TestServer.start(filter))) {
            new TestBrowser(server).get("/put");
        }
        assertFalse(store.backend.closed.get(), "the application's engine stays open");
        store.engine.close();
        assertTrue(store.backend.closed.get());
    }

    @Test
    void anEngineTheFilterBuiltFromAConfigurationServesAndIsClosedOnDestroy() throws Exception {
        SessionConfig config = SessionConfig.builder()
                .set("SESSION_TYPE", ObservedBackendProvider.TYPE)
                .set("SESSION_FILE_DIR", directory.toString())
                .build();
        SessionKitFilter filter = new SessionKitFilter(config);
        try (TestServer server = withPutRoute(TestServer.start(filter))) {
            new TestBrowser(server).get("/put");
            assertEquals(1, FileSystemStore.files(directory).size(), "the configured store was used");
            assertFalse(ObservedBackendProvider.lastCreated().closed.get());
        }
        assertTrue(ObservedBackendProvider.lastCreated().closed.get(), "destroy() closed the filter's own engine");
    }
}
