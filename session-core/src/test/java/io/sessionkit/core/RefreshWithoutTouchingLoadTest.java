package io.sessionkit.core;

import io.sessionkit.Session;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A backend with conditional writes whose read cannot extend the life in the same round trip
 * (no {@link io.sessionkit.spi.TouchingLoad}, as the filesystem store): the engine reads without
 * extending, and refreshes at the end only a request that did not save, since a save sets the
 * expiry itself.
 */
class RefreshWithoutTouchingLoadTest {

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final CountingMemoryBackend.SeparateTouch backend = new CountingMemoryBackend.SeparateTouch();
    private final SessionInterface sessions = engine(Map.of());

    private SessionInterface engine(Map<String, String> settings) {
        backend.clock = clock;
        return SessionInterface.create(SessionConfig.builder().fromMap(settings).clock(clock).build(), backend);
    }

    private String storedSession() {
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        backend.calls.clear();
        clock.advance(Duration.ofHours(1));
        return session.id();
    }

    @Test
    void aReadOnlyRequestReadsThenTouchesAndRenewsTheCookie() {
        String id = storedSession();
        Session session = sessions.open(id);
        assertEquals("ada", session.get("user"));
        SaveResult result = sessions.save(session);
        assertEquals(List.of("loadVersioned session:" + id, "touch session:" + id), backend.calls);
        assertEquals(clock.instant().plus(Duration.ofDays(31)), backend.expiresAt.get("session:" + id));
        assertNotNull(result.setCookieHeader(), "a refreshed permanent session renews its cookie");
    }

    @Test
    void aModifyingRequestReadsAndSavesWithoutATouchAndTheSaveSetsTheExpiry() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.put("theme", "dark");
        sessions.save(session);
        assertEquals(List.of("loadVersioned session:" + id, "replace session:" + id), backend.calls);
        assertEquals(clock.instant().plus(Duration.ofDays(31)), backend.expiresAt.get("session:" + id));
    }

    @Test
    void aSaveThatLostARaceStillTouchesNothing() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.put("theme", "dark");
        Session other = sessions.open(id);
        other.put("cart", "book");
        sessions.save(other);
        backend.calls.clear();
        sessions.save(session);
        assertEquals(List.of("replace session:" + id, "loadVersioned session:" + id, "replace session:" + id),
                backend.calls, "the merge re-reads without extending; its save sets the expiry");
    }

    @Test
    void anEmptiedSessionIsDeletedWithoutATouch() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.clear();
        sessions.save(session);
        assertEquals(List.of("loadVersioned session:" + id, "conditional delete session:" + id), backend.calls);
    }

    @Test
    void withoutRefreshEachRequestAReadOnlyRequestOnlyReads() {
        SessionInterface unrefreshed = engine(Map.of("SESSION_REFRESH_EACH_REQUEST", "false"));
        String id = storedSession();
        Session session = unrefreshed.open(id);
        session.get("user");
        assertEquals(SaveResult.VARY_ONLY, unrefreshed.save(session));
        assertEquals(List.of("loadVersioned session:" + id), backend.calls);
    }

    @Test
    void aBackendWithTouchingLoadIsExtendedByTheReadAndNotTouchedAgain() {
        CountingMemoryBackend.Versioned touching = new CountingMemoryBackend.Versioned();
        touching.clock = clock;
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().clock(clock).build(), touching);
        Session created = engine.open(null);
        created.put("user", "ada");
        engine.save(created);
        touching.calls.clear();
        clock.advance(Duration.ofHours(1));

        Session session = engine.open(created.id());
        session.get("user");
        engine.save(session);
        assertEquals(List.of("loadVersionedAndTouch session:" + created.id()), touching.calls);
        assertEquals(clock.instant().plus(Duration.ofDays(31)), touching.expiresAt.get("session:" + created.id()));
    }
}
