package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo as a browser uses it, in-process on a free port and the filesystem store: add items,
 * log in (new session id, same cart), restart the server on the same store, log out.
 */
class CartServerTest {

    @TempDir
    Path sessions;

    private CartServer server;

    private SessionConfig config() {
        return SessionConfig.builder()
                .set("SESSION_TYPE", "filesystem")
                .set("SESSION_FILE_DIR", sessions.toString())
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theCartSurvivesLogInAndRestartsAndEndsWithLogOut() throws Exception {
        server = CartServer.start(config(), "127.0.0.1", 0);
        Browser browser = new Browser(server.uri());
        String firstPage = browser.page();
        assertTrue(firstPage.contains("The cart is empty."));
        assertEquals(0, storedSessions(), "a first visit stores nothing");

        browser.post("/add", "item", "apple");
        browser.post("/add", "item", "apple");
        browser.post("/add", "item", "<b>pear</b>");
        String anonymousId = browser.cookie();
        assertNotNull(anonymousId);
        String page = browser.page();
        assertTrue(page.contains("apple &times; 2"), page);
        assertTrue(page.contains("&lt;b&gt;pear&lt;/b&gt; &times; 1"), "item names are escaped: " + page);
        assertFalse(page.contains("<b>pear"));

        browser.post("/login", "name", "Ada \"<script>\"");
        assertNotEquals(anonymousId, browser.cookie(), "logging in changes the session id");
        page = browser.page();
        assertTrue(page.contains("Logged in as <strong>Ada &quot;&lt;script&gt;&quot;</strong>"), page);
        assertTrue(page.contains("apple &times; 2"), "the cart survived the log-in");

        browser.post("/remove", "item", "apple");
        server.close();
        server = CartServer.start(config(), "127.0.0.1", 0);
        browser = browser.at(server.uri());
        page = browser.page();
        assertTrue(page.contains("apple &times; 1"), "the cart survived the restart: " + page);
        assertTrue(page.contains("Ada"));

        String loggedInId = browser.cookie();
        browser.post("/logout", "x", "");
        assertNull(browser.cookie(), "logging out expires the cookie");
        assertTrue(browser.withCookie(loggedInId).page().contains("The cart is empty."), "the old session is gone");
        assertEquals(0, storedSessions(), "no session left in the store");
    }

    /** The session files in the store directory; the store's lock file, .sessionkit.lock, is not one. */
    private long storedSessions() throws IOException {
        try (var files = Files.list(sessions)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".session")).count();
        }
    }

    @Test
    void anInvalidConfigurationStopsTheStart() {
        SessionConfig bad = SessionConfig.builder().set("SESSION_TYPE", "no-such-store").build();
        Exception failure = assertThrows(Exception.class, () -> CartServer.start(bad, "127.0.0.1", 0));
        assertNotNull(failure.getMessage());
    }
}
