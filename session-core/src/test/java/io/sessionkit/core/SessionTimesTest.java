package io.sessionkit.core;

import io.sessionkit.Session;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The times a stored record carries: creation, a session's own idle timeout, the absolute lifetime. */
class SessionTimesTest {

    private static final Instant START = Instant.parse("2030-01-02T03:04:05Z");

    /** A clock the test moves. */
    private final MovingClock clock = new MovingClock(START);
    private final CountingMemoryBackend.Versioned backend = new CountingMemoryBackend.Versioned();

    private SessionInterface engine(Map<String, ?> settings) {
        return SessionInterface.create(SessionConfig.builder().fromMap(settings).clock(clock).build(), backend);
    }

    private String storedSession(SessionInterface sessions) {
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        return session.id();
    }

    @Test
    void theCreationTimeIsKeptAcrossRequests() {
        SessionInterface sessions = engine(Map.of());
        String id = storedSession(sessions);
        clock.advance(Duration.ofHours(3));
        Session later = sessions.open(id);
        later.put("theme", "dark");
        sessions.save(later);
        clock.advance(Duration.ofHours(3));
        assertEquals(START, sessions.open(id).creationTime());
    }

    @Test
    void aRecordOfThePreviousReleaseGetsItsTimesAndAVersionOnItsNextSave() {
        SessionInterface sessions = engine(Map.of());
        String id = new SessionIds(32).newId();
        backend.save("session:" + id, "{\"permanent\":true,\"data\":{\"user\":\"ada\"}}".getBytes(StandardCharsets.UTF_8),
                Duration.ofDays(1));
        Session old = sessions.open(id);
        assertEquals("ada", old.get("user"));
        assertEquals(START, old.creationTime(), "unknown creation: the time it was first read");
        old.put("theme", "dark");
        sessions.save(old);
        String stored = new String(backend.entries.get("session:" + id), StandardCharsets.UTF_8);
        assertEquals("{\"version\":1,\"created\":" + START.toEpochMilli()
                + ",\"permanent\":true,\"data\":{\"user\":\"ada\",\"theme\":\"dark\"}}", stored);
    }

    @Test
    void aSessionsOwnIdleTimeoutSetsItsStoreLifetimeAndCookie() {
        SessionInterface sessions = engine(Map.of("PERMANENT_SESSION_LIFETIME", "P31D"));
        String id = storedSession(sessions);
        Session session = sessions.open(id);
        session.setMaxInactiveInterval(Duration.ofMinutes(20));
        SaveResult result = sessions.save(session);
        assertEquals(Duration.ofMinutes(20), backend.timeToLive.get("session:" + id));
        assertTrue(result.setCookieHeader().contains("Max-Age=1200"), result.setCookieHeader());

        // A read-only request refreshes it with the session's own timeout, not the common lifetime.
        Session read = sessions.open(id);
        assertEquals(Duration.ofMinutes(20), read.maxInactiveInterval().orElseThrow());
        SaveResult refreshed = sessions.save(read);
        assertEquals(Duration.ofMinutes(20), backend.timeToLive.get("session:" + id));
        assertTrue(refreshed.setCookieHeader().contains("Max-Age=1200"), refreshed.setCookieHeader());

        Session back = sessions.open(id);
        back.setMaxInactiveInterval(null);
        sessions.save(back);
        assertEquals(Duration.ofDays(31), backend.timeToLive.get("session:" + id));
        assertTrue(sessions.open(id).maxInactiveInterval().isEmpty());
    }

    @Test
    void aZeroOrNegativeIdleTimeoutIsRefused() {
        Session session = engine(Map.of()).open(null);
        assertThrows(IllegalArgumentException.class, () -> session.setMaxInactiveInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> session.setMaxInactiveInterval(Duration.ofSeconds(-1)));
        assertFalse(session.isModified());
    }

    @Test
    void settingTheSameIdleTimeoutAgainChangesNothing() {
        SessionInterface sessions = engine(Map.of());
        String id = storedSession(sessions);
        Session session = sessions.open(id);
        session.setMaxInactiveInterval(null);
        assertFalse(session.isModified());
    }

    @Test
    void aSessionOlderThanTheAbsoluteLifetimeIsAbsentHoweverOftenItIsUsed() {
        SessionInterface sessions = engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "PT8H"));
        String id = storedSession(sessions);
        for (int hour = 1; hour < 8; hour++) {
            clock.advance(Duration.ofHours(1));
            Session session = sessions.open(id);
            assertEquals("ada", session.get("user"), "still alive after " + hour + " h of use");
            sessions.save(session);
        }
        clock.advance(Duration.ofHours(1));
        Session ended = sessions.open(id);
        assertTrue(ended.isNew(), "eight hours after its creation the session is over");
        assertFalse(backend.entries.containsKey("session:" + id), "and its record is deleted");
    }

    @Test
    void theAbsoluteExpiryIsKeptInTheRecordAndCutsTheLastLifetimeShort() {
        SessionInterface sessions = engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "PT8H", "PERMANENT_SESSION_LIFETIME", "PT2H"));
        String id = storedSession(sessions);
        assertEquals(START.plus(Duration.ofHours(8)),
                new JsonSessionSerializer().deserialize(backend.entries.get("session:" + id)).absoluteExpiry());
        clock.advance(Duration.ofHours(7));
        Session session = sessions.open(id);
        session.put("n", 1);
        SaveResult result = sessions.save(session);
        assertEquals(Duration.ofHours(1), backend.timeToLive.get("session:" + id), "one hour is left of the eight");
        assertTrue(result.setCookieHeader().contains("Max-Age=3600"), result.setCookieHeader());
    }

    @Test
    void switchingTheAbsoluteLifetimeOffKeepsAlreadyStoredExpiries() {
        String id = storedSession(engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "PT1H")));
        clock.advance(Duration.ofHours(2));
        assertTrue(engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "off")).open(id).isNew(),
                "the record carries its own absolute expiry");
    }

    @Test
    void switchingTheAbsoluteLifetimeOnEndsSessionsCreatedLongerAgo() {
        String id = storedSession(engine(Map.of()));
        clock.advance(Duration.ofHours(2));
        SessionInterface strict = engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "PT1H"));
        assertTrue(strict.open(id).isNew(), "the record has no absolute expiry, but its creation time is two hours ago");
        assertFalse(backend.entries.containsKey("session:" + id));
    }

    @Test
    void aSaveUnderAnotherAbsoluteLifetimeKeepsTheStoredExpiry() {
        String id = storedSession(engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "PT1H")));
        clock.advance(Duration.ofMinutes(30));
        SessionInterface relaxed = engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "off"));
        Session session = relaxed.open(id);
        session.put("theme", "dark");
        relaxed.save(session);
        assertEquals(START.plus(Duration.ofHours(1)),
                new JsonSessionSerializer().deserialize(backend.entries.get("session:" + id)).absoluteExpiry());
        clock.advance(Duration.ofMinutes(30));
        assertTrue(relaxed.open(id).isNew(), "the session still ends an hour after its creation");
    }

    @Test
    void theLastSecondOfASessionIsStoredForOneSecond() {
        SessionInterface sessions = engine(Map.of("SESSION_ABSOLUTE_LIFETIME", "PT1H", "PERMANENT_SESSION_LIFETIME", "PT2H"));
        String id = storedSession(sessions);
        clock.advance(Duration.ofHours(1).minusMillis(500));
        Session session = sessions.open(id);
        session.put("n", 1);
        SaveResult result = sessions.save(session);
        assertEquals(Duration.ofSeconds(1), backend.timeToLive.get("session:" + id),
                "half a second is left; a store time to live is at least a second");
        assertTrue(result.setCookieHeader().contains("Max-Age=1;"), result.setCookieHeader());
    }

    @Test
    void aRecordOfThePreviousReleaseKeepsTheCreationTimeItsFirstSaveStored() {
        SessionInterface sessions = engine(Map.of());
        String id = new SessionIds(32).newId();
        backend.save("session:" + id, "{\"permanent\":true,\"data\":{\"user\":\"ada\"}}".getBytes(StandardCharsets.UTF_8),
                Duration.ofDays(1));
        Session first = sessions.open(id);
        first.get("user");
        clock.advance(Duration.ofMinutes(1));
        Session second = sessions.open(id);
        second.put("theme", "dark");
        sessions.save(second);
        first.put("lang", "en");
        sessions.save(first); // merged onto the second request's record
        Session later = sessions.open(id);
        assertEquals(Map.of("user", "ada", "theme", "dark", "lang", "en"), Map.copyOf(later));
        assertEquals(START.plus(Duration.ofMinutes(1)), later.creationTime(), "the creation time the store holds is kept");
    }
}
