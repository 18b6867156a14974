package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's forms posted by a page of another site, with the visitor's cookie as a browser
 * sends it: refused, and the session unchanged; posts from the demo's own page go through.
 */
class CrossSitePostTest {

    @TempDir
    Path sessions;

    private CartServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFormPostedByAnotherSiteIsRefusedAndChangesNothing() throws Exception {
        server = CartServer.start(SessionConfig.builder().set("SESSION_TYPE", "filesystem")
                .set("SESSION_FILE_DIR", sessions.toString()).build(), "127.0.0.1", 0);
        Browser browser = new Browser(server.uri());
        browser.post("/add", "item", "kept-item");
        String ownOrigin = "http://" + server.uri().getAuthority();

        assertEquals(403, browser.postWith("Origin", "https://elsewhere.example", "/add", "item", "planted-item"));
        assertEquals(403, browser.postWith("Sec-Fetch-Site", "cross-site", "/add", "item", "planted-item"));
        assertEquals(403, browser.postWith("Sec-Fetch-Site", "same-site", "/logout", "reason", "none"));
        assertEquals(403, browser.postWith("Origin", "null", "/logout", "reason", "none"));
        assertEquals(303, browser.postWith("Origin", ownOrigin, "/add", "item", "own-origin-item"));
        assertEquals(303, browser.postWith("Sec-Fetch-Site", "same-origin", "/add", "item", "same-origin-item"));

        String page = browser.page();
        assertTrue(page.contains("kept-item"), page);
        assertTrue(page.contains("own-origin-item"), page);
        assertTrue(page.contains("same-origin-item"), page);
        assertFalse(page.contains("planted-item"), page);
    }
}
