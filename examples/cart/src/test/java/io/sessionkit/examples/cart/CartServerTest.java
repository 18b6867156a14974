package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    Path sessions;

    private CartServer server;
    private String cookie;

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

    private HttpResponse<String> get() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri()).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            request.header("Cookie", "session=" + cookie);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response;
    }

    private void post(String action, String field, String value) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(action))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(field + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        if (cookie != null) {
            request.header("Cookie", "session=" + cookie);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, response.statusCode(), action + " redirects after the post");
        assertEquals("/", response.headers().firstValue("Location").map(URI::create).map(URI::getPath).orElse(null));
        response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith("session="))
                .findFirst()
                .ifPresent(header -> cookie = header.contains("Max-Age=0") ? null
                        : header.substring("session=".length(), header.indexOf(';')));
    }

    @Test
    void theCartSurvivesLogInAndRestartsAndEndsWithLogOut() throws Exception {
        server = CartServer.start(config(), "127.0.0.1", 0);
        String firstPage = get().body();
        assertTrue(firstPage.contains("The cart is empty."));
        assertEquals(0, storedSessions(), "a first visit stores nothing");

        post("/add", "item", "apple");
        post("/add", "item", "apple");
        post("/add", "item", "<b>pear</b>");
        String anonymousId = cookie;
        assertNotNull(anonymousId);
        String page = get().body();
        assertTrue(page.contains("apple &times; 2"), page);
        assertTrue(page.contains("&lt;b&gt;pear&lt;/b&gt; &times; 1"), "item names are escaped: " + page);
        assertFalse(page.contains("<b>pear"));

        post("/login", "name", "Ada \"<script>\"");
        assertNotEquals(anonymousId, cookie, "logging in changes the session id");
        page = get().body();
        assertTrue(page.contains("Logged in as <strong>Ada &quot;&lt;script&gt;&quot;</strong>"), page);
        assertTrue(page.contains("apple &times; 2"), "the cart survived the log-in");

        post("/remove", "item", "apple");
        server.close();
        server = CartServer.start(config(), "127.0.0.1", 0);
        page = get().body();
        assertTrue(page.contains("apple &times; 1"), "the cart survived the restart: " + page);
        assertTrue(page.contains("Ada"));

        String loggedInId = cookie;
        post("/logout", "x", "");
        assertNull(cookie, "logging out expires the cookie");
        cookie = loggedInId;
        assertTrue(get().body().contains("The cart is empty."), "the old session is gone");
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
