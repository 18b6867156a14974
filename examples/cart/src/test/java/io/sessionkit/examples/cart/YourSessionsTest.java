package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "Your sessions" section over HTTP: clients logged in under one name see each other's
 * sessions, and ending one from another client logs that client out. Each store's subclass says
 * where the sessions live.
 */
abstract class YourSessionsTest {

    private CartServer server;

    abstract SessionConfig config();

    @BeforeEach
    void start() throws Exception {
        server = CartServer.start(config(), "127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Browser loggedIn(String name) throws Exception {
        Browser browser = new Browser(server.uri());
        browser.post("/login", "name", name);
        assertTrue(browser.page().contains("Logged in as <strong>" + name + "</strong>"));
        return browser;
    }

    private static boolean listsAsOther(String page, Browser other) {
        return page.contains("<code>" + other.idPrefix() + "</code>")
                && page.contains("name=\"session\" value=\"" + other.idPrefix() + "\"");
    }

    private static boolean listsAsThisSession(String page, Browser self) {
        return page.matches("(?s).*<code>" + self.idPrefix() + "</code>[^\n]*\\(this session\\).*");
    }

    @Test
    void eachClientListsTheOtherAndEndingItLogsTheOtherOut() throws Exception {
        Browser a = loggedIn("ada");
        Browser b = loggedIn("ada");
        Browser stranger = loggedIn("grace");

        String pageOfA = a.page();
        String pageOfB = b.page();
        assertTrue(listsAsOther(pageOfA, b) && listsAsThisSession(pageOfA, a), pageOfA);
        assertTrue(listsAsOther(pageOfB, a) && listsAsThisSession(pageOfB, b), pageOfB);
        assertFalse(pageOfA.contains(stranger.idPrefix()), "another user's session is not listed");
        assertTrue(pageOfA.contains("End all other sessions"));

        a.post("/end-session", "session", b.idPrefix());
        String afterwards = b.page();
        assertFalse(afterwards.contains("Logged in as"), "the ended session has no user any more: " + afterwards);
        assertTrue(afterwards.contains("action=\"/login\""));
        String stillA = a.page();
        assertTrue(stillA.contains("Logged in as <strong>ada</strong>"));
        assertFalse(stillA.contains("End all other sessions"), "a's only session is its own: " + stillA);
        assertTrue(stranger.page().contains("Logged in as <strong>grace</strong>"));
    }

    @Test
    void endAllOthersKeepsOnlyThisSession() throws Exception {
        Browser a = loggedIn("ada");
        Browser b = loggedIn("ada");
        Browser c = loggedIn("ada");
        Browser stranger = loggedIn("grace");
        assertTrue(listsAsOther(a.page(), b) && listsAsOther(a.page(), c));

        a.post("/end-other-sessions", "x", "");
        assertFalse(b.page().contains("Logged in as"));
        assertFalse(c.page().contains("Logged in as"));
        String pageOfA = a.page();
        assertTrue(pageOfA.contains("Logged in as <strong>ada</strong>") && listsAsThisSession(pageOfA, a), pageOfA);
        assertFalse(pageOfA.contains("name=\"session\""), "no other session is left: " + pageOfA);
        assertTrue(stranger.page().contains("Logged in as <strong>grace</strong>"), "other users keep theirs");
    }

    @Test
    void aSessionOfTheSameNameCannotBeEndedWithoutBeingLoggedIn() throws Exception {
        Browser a = loggedIn("ada");
        Browser anonymous = new Browser(server.uri());
        anonymous.post("/add", "item", "apple");
        anonymous.post("/end-session", "session", a.idPrefix());
        anonymous.post("/end-other-sessions", "x", "");
        assertTrue(a.page().contains("Logged in as <strong>ada</strong>"));
    }
}
