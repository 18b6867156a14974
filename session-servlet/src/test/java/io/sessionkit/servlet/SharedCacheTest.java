package io.sessionkit.servlet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A response that carries the session cookie must never be stored by a shared cache, or the
 * cache would hand one user's cookie to the next: it gets {@code Cache-Control: private}.
 */
class SharedCacheTest {

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(new SessionKitFilter(store.engine))
                .route("/login", (request, response) -> request.getSession().setAttribute("user", "ada"))
                .route("/public-login", (request, response) -> {
                    response.setHeader("Cache-Control", "public, max-age=600, s-maxage=600");
                    request.getSession().setAttribute("user", "ada");
                })
                .route("/no-store-login", (request, response) -> {
                    response.setHeader("Cache-Control", "no-store");
                    request.getSession().setAttribute("user", "ada");
                })
                .route("/private-login", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60, private");
                    request.getSession().setAttribute("user", "ada");
                })
                .route("/logout", (request, response) -> request.getSession().invalidate())
                .route("/public-page", (request, response) -> {
                    response.setHeader("Cache-Control", "public, max-age=600");
                    response.getWriter().print("same for everyone");
                });
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    private static List<String> cacheControl(HttpResponse<?> response) {
        return response.headers().allValues("Cache-Control");
    }

    @Test
    void aResponseSettingTheCookieIsPrivate() throws Exception {
        HttpResponse<String> response = browser.get("/login");
        assertNotNull(browser.sessionSetCookie(response));
        assertEquals(List.of("private"), cacheControl(response));
    }

    @Test
    void anApplicationsPublicIsOverruledAndItsOtherDirectivesKept() throws Exception {
        HttpResponse<String> response = browser.get("/public-login");
        assertNotNull(browser.sessionSetCookie(response));
        assertEquals(List.of("private, max-age=600"), cacheControl(response),
                "public and the shared-cache max age go; the browser's own max age stays");
    }

    @Test
    void anApplicationsNoStoreOrPrivateIsKeptAsItIs() throws Exception {
        assertEquals(List.of("no-store"), cacheControl(browser.get("/no-store-login")));
        assertEquals(List.of("max-age=60, private"), cacheControl(new TestBrowser(server).get("/private-login")));
    }

    @Test
    void aResponseDeletingTheCookieIsPrivateToo() throws Exception {
        browser.get("/login");
        HttpResponse<String> response = browser.get("/logout");
        assertNotNull(browser.sessionSetCookie(response), "the logout deletes the cookie");
        assertEquals(List.of("private"), cacheControl(response));
    }

    @Test
    void aResponseWithoutTheCookieKeepsTheApplicationsCaching() throws Exception {
        HttpResponse<String> response = browser.get("/public-page");
        assertNull(browser.sessionSetCookie(response));
        assertEquals(List.of("public, max-age=600"), cacheControl(response));
    }
}
