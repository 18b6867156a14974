package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The session id carried by a request header ({@code SESSION_ID_HEADER}) instead of, or beside, the cookie. */
class IdHeaderTest {

    private final CountingMemoryBackend backend = new CountingMemoryBackend();

    private SessionInterface engine(Map<String, String> settings) {
        return SessionInterface.create(SessionConfig.builder().fromMap(settings).build(), backend);
    }

    private static Iterator<String> headers(String... values) {
        return List.of(values).iterator();
    }

    @Test
    void theHeaderReplacesTheCookie() {
        SessionInterface sessions = engine(Map.of("SESSION_ID_HEADER", "X-Auth-Token"));
        Session session = sessions.open(null);
        session.put("user", "ada");
        SaveResult result = sessions.save(session);
        assertNull(result.setCookieHeader(), "no cookie when the header carries the id");
        assertEquals(session.id(), result.idHeaderValue());
        assertTrue(result.vary());

        List<String> values = sessions.idValues(headers(session.id()), headers("session=cookie-value-ignored"));
        assertEquals(List.of(session.id()), values);
        assertEquals("ada", sessions.openFromCookies(values).get("user"));
    }

    @Test
    void aSessionThatEndsAnswersWithTheHeaderEmpty() {
        SessionInterface sessions = engine(Map.of("SESSION_ID_HEADER", "X-Auth-Token"));
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        Session again = sessions.openFromCookies(List.of(session.id()));
        again.invalidate();
        assertEquals(new SaveResult(true, null, ""), sessions.save(again));
    }

    @Test
    void signedIdsAreCheckedAsInTheCookie() {
        SessionInterface sessions = engine(Map.of("SESSION_ID_HEADER", "X-Auth-Token", "SESSION_USE_SIGNER", "true",
                "SECRET_KEY", "a signing key of thirty-two bytes!"));
        Session session = sessions.open(null);
        session.put("user", "ada");
        String signed = sessions.save(session).idHeaderValue();
        assertNotEquals(session.id(), signed);
        assertEquals("ada", sessions.openFromCookies(sessions.idValues(headers(signed), null)).get("user"));

        backend.calls.clear();
        assertTrue(sessions.openFromCookies(sessions.idValues(headers(session.id()), null)).isNew(), "an unsigned id");
        assertEquals(List.of(), backend.calls, "refused before the store is asked");
    }

    @Test
    void withTheCookieTooBothAreReadHeaderFirstAndBothAreSent() {
        SessionInterface sessions = engine(Map.of("SESSION_ID_HEADER", "X-Auth-Token", "SESSION_ID_HEADER_AND_COOKIE", "true"));
        Session session = sessions.open(null);
        session.put("user", "ada");
        SaveResult result = sessions.save(session);
        assertTrue(result.setCookieHeader().startsWith("session=" + session.id() + ";"), result.setCookieHeader());
        assertEquals(session.id(), result.idHeaderValue());

        assertEquals(List.of("from-header", "from-cookie"),
                sessions.idValues(headers("from-header"), headers("session=from-cookie")));
        assertEquals("ada", sessions.openFromCookies(sessions.idValues(null, headers("session=" + session.id()))).get("user"),
                "a client that only has the cookie keeps its session");
    }

    @Test
    void headerValuesAreSplitOnCommasTrimmedAndCapped() {
        SessionInterface sessions = engine(Map.of("SESSION_ID_HEADER", "X-Auth-Token"));
        assertEquals(List.of("a", "b", "c"), sessions.idValues(headers(" a , ,b", "c, d", "e"), null));
        assertEquals(List.of("a", "b"), sessions.idValues(headers(",a,", ",,b"), null));
        assertEquals(List.of(), sessions.idValues(headers("", " , "), null));
        assertEquals(List.of(), sessions.idValues(null, null));
    }

    @Test
    void manyHeaderValuesCostAtMostThreeLoads() {
        SessionInterface sessions = engine(Map.of("SESSION_ID_HEADER", "X-Auth-Token"));
        String unknown = "A".repeat(43);
        String[] flood = new String[50];
        for (int i = 0; i < flood.length; i++) {
            flood[i] = unknown.substring(0, 42) + (char) ('A' + i % 26) + "," + unknown;
        }
        assertTrue(sessions.openFromCookies(sessions.idValues(headers(flood), null)).isNew());
        assertTrue(backend.callsStartingWith("load").size() <= 3, backend.calls.toString());
    }

    @Test
    void withoutTheHeaderTheCookieAloneCountsAndNothingIsSentInAHeader() {
        SessionInterface sessions = engine(Map.of());
        assertEquals(List.of("c"), sessions.idValues(headers("h"), headers("session=c")));
        Session session = sessions.open(null);
        session.put("user", "ada");
        assertNull(sessions.save(session).idHeaderValue());
    }

    @Test
    void aBadHeaderNameOrTheCookieTooWithoutAHeaderIsRefused() {
        SessionConfigException badName = assertThrows(SessionConfigException.class,
                () -> SessionConfig.builder().set("SESSION_ID_HEADER", "Set-Cookie").build());
        assertTrue(badName.problems().get(0).startsWith("SESSION_ID_HEADER was 'Set-Cookie' but it must be a header name"),
                badName.problems().toString());
        assertThrows(SessionConfigException.class, () -> SessionConfig.builder().set("SESSION_ID_HEADER", "X Auth").build());
        SessionConfigException alone = assertThrows(SessionConfigException.class,
                () -> SessionConfig.builder().set("SESSION_ID_HEADER_AND_COOKIE", "true").build());
        assertEquals(List.of("SESSION_ID_HEADER_AND_COOKIE is true but SESSION_ID_HEADER is not set: name the header"
                + " that carries the id, or unset SESSION_ID_HEADER_AND_COOKIE"), alone.problems());
    }
}
