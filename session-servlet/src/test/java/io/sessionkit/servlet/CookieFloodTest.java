package io.sessionkit.servlet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A request stuffed with well-formed session cookies costs the store no more than three loads,
 * however many it carries: each load is a store round trip (a write with JDBC's touch-on-read).
 */
class CookieFloodTest {

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(new SessionKitFilter(store.engine))
                .route("/visit", (request, response) -> response.getWriter().print("user=" + request.getSession().getAttribute("user")));
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    @Test
    void oneHundredFiftyUnknownIdsCostThreeLoads() throws Exception {
        SecureRandom random = new SecureRandom();
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            header.append(i == 0 ? "" : "; ").append("session=").append(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
        }
        HttpResponse<String> response = browser.getWithCookieHeader("/visit", header.toString());
        assertEquals(200, response.statusCode());
        assertEquals("user=null", response.body());
        assertEquals(3, store.backend.loads.get(), "loads for one request with 150 session cookies");
    }

    @Test
    void theSameIdRepeatedIsLoadedOnce() throws Exception {
        browser.get("/visit");
        byte[] id = new byte[32];
        new SecureRandom().nextBytes(id);
        String unknown = "session=" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        int before = store.backend.loads.get();
        HttpResponse<String> response = browser.getWithCookieHeader("/visit", String.join("; ", java.util.Collections.nCopies(50, unknown)));
        assertNotNull(response.body());
        assertEquals(1, store.backend.loads.get() - before, "fifty copies of one id are one candidate");
    }
}
