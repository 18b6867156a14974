package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On memcached, which keeps no index of a user's sessions, the page says so and the cart still works. */
class YourSessionsWithoutAnIndexTest {

    @Test
    void thePageSaysTheStoreCannotListAUsersSessions() throws Exception {
        try (MemcachedServerProcess memcached = MemcachedServerProcess.start();
             CartServer server = CartServer.start(SessionConfig.builder()
                     .set("SESSION_TYPE", "memcached")
                     .set("SESSION_MEMCACHED", memcached.address())
                     .build(), "127.0.0.1", 0)) {
            Browser browser = new Browser(server.uri());
            browser.post("/add", "item", "apple");
            browser.post("/login", "name", "ada");
            String page = browser.page();
            assertTrue(page.contains("Logged in as <strong>ada</strong>"), page);
            assertTrue(page.contains("The memcached store keeps no index of a user&#39;s sessions"), page);
            assertFalse(page.contains("End all other sessions"));
            assertTrue(page.contains("apple &times; 1"));
        }
    }
}
