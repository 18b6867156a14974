package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code SESSION_REFRESH_MIN_INTERVAL}: a request that only reads its session refreshes the
 * expiry and the cookie only when that moves the expiry by at least the interval, using the
 * expiry the read reported, so the other reads cost the backend no write.
 */
class ThrottledRefreshTest {

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-04T10:00:00Z"));

    private SessionInterface engine(CountingMemoryBackend backend, Map<String, String> settings) {
        backend.clock = clock;
        return SessionInterface.create(SessionConfig.builder().fromMap(settings).clock(clock).build(), backend);
    }

    private static String storedSession(SessionInterface sessions, CountingMemoryBackend backend) {
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        backend.calls.clear();
        return session.id();
    }

    @Test
    void aReadWithinTheIntervalWritesNothingAndSendsNoCookie() {
        CountingMemoryBackend backend = new CountingMemoryBackend.ExpiryReporting();
        SessionInterface sessions = engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "PT1H"));
        String id = storedSession(sessions, backend);

        clock.advance(Duration.ofMinutes(59));
        Session session = sessions.open(id);
        assertEquals("ada", session.get("user"));
        assertEquals(SaveResult.VARY_ONLY, sessions.save(session));
        assertEquals(List.of("loadWithExpiry session:" + id), backend.calls);

        clock.advance(Duration.ofMinutes(2));
        backend.calls.clear();
        Session later = sessions.open(id);
        later.get("user");
        SaveResult refreshed = sessions.save(later);
        assertNotNull(refreshed.setCookieHeader(), "due: the cookie is renewed");
        assertEquals(List.of("loadWithExpiry session:" + id, "touch session:" + id), backend.calls);
        assertEquals(clock.instant().plus(Duration.ofDays(31)), backend.expiresAt.get("session:" + id));
    }

    @Test
    void aRefreshThatMovesTheExpiryByExactlyTheIntervalHappens() {
        CountingMemoryBackend backend = new CountingMemoryBackend.ExpiryReporting();
        SessionInterface sessions = engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "PT1H"));
        String id = storedSession(sessions, backend);
        clock.advance(Duration.ofHours(1));
        Session session = sessions.open(id);
        session.get("user");
        assertNotNull(sessions.save(session).setCookieHeader());
        assertTrue(backend.calls.contains("touch session:" + id), backend.calls.toString());
    }

    @Test
    void anEntryWithoutAnExpiryIsRefreshedAndAnUnknownIdIsANewSession() {
        CountingMemoryBackend backend = new CountingMemoryBackend.ExpiryReporting();
        SessionInterface sessions = engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "PT1H"));
        String id = storedSession(sessions, backend);
        backend.expiresAt.remove("session:" + id);
        Session session = sessions.open(id);
        session.get("user");
        assertNotNull(sessions.save(session).setCookieHeader(), "no expiry reported: refreshed as without the interval");

        assertTrue(sessions.open("A".repeat(43)).isNew());
    }

    @Test
    void aSessionWithItsOwnShorterTimeoutIsHeldToTheSameRule() {
        CountingMemoryBackend backend = new CountingMemoryBackend.ExpiryReporting();
        SessionInterface sessions = engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "PT10M"));
        Session session = sessions.open(null);
        session.put("user", "ada");
        session.setMaxInactiveInterval(Duration.ofMinutes(30));
        sessions.save(session);

        clock.advance(Duration.ofMinutes(11));
        backend.calls.clear();
        Session read = sessions.open(session.id());
        read.get("user");
        assertNotNull(sessions.save(read).setCookieHeader());
        assertEquals(Duration.ofMinutes(30), backend.timeToLive.get("session:" + session.id()));
    }

    @Test
    void aChangeIsAlwaysSaved() {
        CountingMemoryBackend backend = new CountingMemoryBackend.ExpiryReporting();
        SessionInterface sessions = engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "PT1H"));
        String id = storedSession(sessions, backend);
        Session session = sessions.open(id);
        session.put("theme", "dark");
        assertNotNull(sessions.save(session).setCookieHeader());
        assertTrue(backend.calls.contains("replace session:" + id), backend.calls.toString());
    }

    @Test
    void withoutTheIntervalEveryReadRefreshesInTheRead() {
        CountingMemoryBackend backend = new CountingMemoryBackend.ExpiryReporting();
        SessionInterface sessions = engine(backend, Map.of());
        String id = storedSession(sessions, backend);
        Session session = sessions.open(id);
        session.get("user");
        assertNotNull(sessions.save(session).setCookieHeader());
        assertEquals(List.of("loadVersionedAndTouch session:" + id), backend.calls);
    }

    @Test
    void aBackendThatCannotReportExpiryRefreshesAsBeforeAndSaysSo() {
        CountingMemoryBackend backend = new CountingMemoryBackend.Versioned();
        List<String> warnings = LogCapture.warnings(SessionInterface.class,
                () -> engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "60")));
        assertTrue(warnings.stream().anyMatch(line -> line.startsWith("SESSION_REFRESH_MIN_INTERVAL is set but the backend '"
                + CountingMemoryBackend.Versioned.class.getName() + "' cannot tell an entry's expiry")), warnings.toString());
        SessionInterface sessions = engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "60"));
        String id = storedSession(sessions, backend);
        Session session = sessions.open(id);
        session.get("user");
        assertNotNull(sessions.save(session).setCookieHeader());
        assertEquals(List.of("loadVersionedAndTouch session:" + id), backend.calls);
    }

    /** Reports expiry but saves blindly: no conditional writes. */
    private static final class BlindExpiryReporting extends CountingMemoryBackend
            implements io.sessionkit.spi.ExpiryReportingLoad {
        @Override
        public io.sessionkit.spi.VersionedEntry loadWithExpiry(String key) {
            record("loadWithExpiry " + key);
            byte[] value = entries.get(key);
            return value == null ? null : new io.sessionkit.spi.VersionedEntry(value, 7, expiresAt.get(key));
        }
    }

    @Test
    void aBackendWithoutConditionalWritesIsThrottledToo() {
        CountingMemoryBackend backend = new BlindExpiryReporting();
        SessionInterface sessions = engine(backend, Map.of("SESSION_REFRESH_MIN_INTERVAL", "PT1H"));
        String id = storedSession(sessions, backend);
        clock.advance(Duration.ofMinutes(5));
        Session session = sessions.open(id);
        assertEquals("ada", session.get("user"));
        assertEquals(SaveResult.VARY_ONLY, sessions.save(session));
        assertEquals(List.of("loadWithExpiry session:" + id), backend.calls);
        assertTrue(sessions.open("B".repeat(43)).isNew());

        Session changed = sessions.open(id);
        changed.put("theme", "dark");
        sessions.save(changed);
        assertTrue(backend.calls.contains("save session:" + id), "a blind save: " + backend.calls);
    }

    @Test
    void theIntervalIsADurationOrOff() {
        assertEquals(Duration.ZERO, SessionConfig.builder().build().refreshMinInterval());
        assertEquals(Duration.ZERO, SessionConfig.builder().set("SESSION_REFRESH_MIN_INTERVAL", "off").build().refreshMinInterval());
        assertEquals(Duration.ofMinutes(5), SessionConfig.builder().set("SESSION_REFRESH_MIN_INTERVAL", "300").build()
                .refreshMinInterval());
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> SessionConfig.builder().set("SESSION_REFRESH_MIN_INTERVAL", "soon").build());
        assertTrue(error.problems().get(0).startsWith("SESSION_REFRESH_MIN_INTERVAL was 'soon'"), error.problems().toString());
    }
}
