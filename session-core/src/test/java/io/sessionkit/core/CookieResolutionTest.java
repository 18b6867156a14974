package io.sessionkit.core;

import io.sessionkit.Session;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Which of several session cookies a request sent wins: decided by the engine, for every binding. */
class CookieResolutionTest {

    private final CountingMemoryBackend backend = new CountingMemoryBackend();
    private final SessionInterface sessions = SessionInterface.create(SessionConfig.builder().build(), backend);

    private String storedSession(String user) {
        Session session = sessions.open(null);
        session.put("user", user);
        sessions.save(session);
        return session.id();
    }

    @Test
    void theFirstValueNamingAStoredSessionWins() {
        String stored = storedSession("ada");
        String unknown = new SessionIds(32).newId();
        backend.calls.clear();
        Session session = sessions.openFromCookies(List.of(unknown, stored, storedSession("bob")));
        assertEquals(stored, session.id());
        assertEquals("ada", session.get("user"));
    }

    @Test
    void withNoStoredSessionAmongThemTheFirstValueGivesAFreshSession() {
        Session session = sessions.openFromCookies(List.of("not-an-id", new SessionIds(32).newId()));
        assertTrue(session.isNew());
        assertTrue(session.isEmpty());
    }

    @Test
    void oneValueOrNoneCostsNoStoreCallUntilUsed() {
        String stored = storedSession("ada");
        backend.calls.clear();
        Session none = sessions.openFromCookies(List.of());
        Session one = sessions.openFromCookies(List.of(stored));
        assertEquals(List.of(), backend.calls, "opening is lazy");
        assertTrue(none.isNew());
        assertEquals("ada", one.get("user"));
        assertEquals(List.of("load session:" + stored), backend.calls);
    }

    @Test
    void aCookieFloodCostsAtMostThreeLoads() {
        List<String> flood = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            flood.add(new SessionIds(32).newId());
        }
        flood.add(storedSession("ada"));
        backend.calls.clear();
        Session session = sessions.openFromCookies(flood);
        assertTrue(session.isNew(), "a stored session named after the first three values is not looked for");
        assertEquals(SessionInterface.MAX_COOKIE_CANDIDATES, backend.callsStartingWith("load").size(), backend.calls.toString());
        assertEquals(3, SessionInterface.MAX_COOKIE_CANDIDATES);
    }

    @Test
    void repeatedValuesAreLoadedOnceAndDoNotCrowdOutOthers() {
        String unknown = new SessionIds(32).newId();
        String stored = storedSession("ada");
        backend.calls.clear();
        Session session = sessions.openFromCookies(List.of(unknown, unknown, unknown, unknown, stored));
        assertEquals("ada", session.get("user"), "the duplicates count once, so the stored one is the second candidate");
        assertEquals(List.of("load session:" + unknown, "load session:" + stored), backend.calls);
    }

    @Test
    void cookieValuesAreFoundByTheConfiguredName() {
        SessionInterface named = SessionInterface.create(SessionConfig.builder().fromMap(Map.of("SESSION_COOKIE_NAME", "sid")).build(),
                new CountingMemoryBackend());
        assertEquals(List.of("a", "b"), named.cookieValues(List.of("session=x; sid=a", "sid=\"b\"").iterator()));
        assertEquals(List.of(), named.cookieValues(null));
        assertEquals(List.of("x"), sessions.cookieValues(List.of("session=x; sid=a").iterator()));
    }
}
