package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionCapabilityException;
import io.sessionkit.SessionPage;
import io.sessionkit.SessionSummary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@code count()} and {@code list()}: the backend's listing, turned into summaries of this engine's sessions. */
class SessionListingTest {

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-05T10:00:00Z"));

    private SessionInterface engine(CountingMemoryBackend backend, Map<String, String> settings) {
        backend.clock = clock;
        return SessionInterface.create(SessionConfig.builder().fromMap(settings).clock(clock).build(), backend);
    }

    private static List<String> stored(SessionInterface sessions, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Session session = sessions.open(null);
            session.put("user", "user-" + i);
            sessions.save(session);
            ids.add(session.id());
        }
        return ids;
    }

    @Test
    void countsAndPagesThroughTheSessionsOfItsPrefix() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend, Map.of(ConfigKeys.SESSION_PRINCIPAL_KEY, "user"));
        List<String> ids = stored(sessions, 5);
        stored(engine(backend, Map.of(ConfigKeys.SESSION_KEY_PREFIX, "other:")), 2);
        assertEquals(5, sessions.count());

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            SessionPage page = sessions.list(cursor, 2);
            assertTrue(page.sessions().size() <= 2);
            for (SessionSummary summary : page.sessions()) {
                listed.add(summary.id());
                assertEquals(clock.instant(), summary.created());
                assertEquals(clock.instant().plus(Duration.ofDays(31)), summary.expiresAt());
                assertTrue(summary.principal().startsWith("user-"), summary.principal());
            }
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(ids.stream().sorted().toList(), listed.stream().sorted().toList());
    }

    @Test
    void withoutAPrincipalKeySummariesNameNoUser() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend, Map.of());
        stored(sessions, 1);
        assertNull(sessions.list(null, 10).sessions().get(0).principal());
    }

    @Test
    void aRecordThatDoesNotDecodeIsListedWithoutItsTimesOrUser() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend, Map.of(ConfigKeys.SESSION_PRINCIPAL_KEY, "user"));
        String key = "session:" + "A".repeat(43);
        backend.entries.put(key, "not json".getBytes(StandardCharsets.UTF_8));
        backend.expire(key, Duration.ofHours(1));
        SessionSummary summary = sessions.list(null, 10).sessions().get(0);
        assertEquals("A".repeat(43), summary.id());
        assertNull(summary.created());
        assertNull(summary.principal());
        assertEquals(8, summary.size());
    }

    @Test
    void theLimitIsOneToTenThousand() {
        SessionInterface sessions = engine(new CountingMemoryBackend.Indexed(true), Map.of());
        for (int limit : new int[] {0, -1, SessionDirectory.MAX_PAGE + 1}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> sessions.list(null, limit));
            assertTrue(error.getMessage().contains("between 1 and 10000"), error.getMessage());
        }
        assertEquals(List.of(), sessions.list(null, 1).sessions());
        assertNull(sessions.list(null, SessionDirectory.MAX_PAGE).nextCursor());
    }

    @Test
    void aForeignCursorIsTheCallersMistakeAndAFailureIsTheBackends() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend, Map.of());
        IllegalArgumentException badCursor = assertThrows(IllegalArgumentException.class, () -> sessions.list("x", 10));
        assertTrue(badCursor.getMessage().contains("not a cursor"), badCursor.getMessage());

        backend.failure = new IllegalStateException("down");
        SessionBackendException listFailure = assertThrows(SessionBackendException.class, () -> sessions.list(null, 10));
        assertEquals("list", listFailure.operation());
        SessionBackendException countFailure = assertThrows(SessionBackendException.class, sessions::count);
        assertEquals("count", countFailure.operation());
    }

    @Test
    void aBackendWithoutListingNamesItselfAndTheCapability() {
        CountingMemoryBackend backend = new CountingMemoryBackend.Versioned();
        SessionInterface sessions = engine(backend, Map.of());
        SessionCapabilityException count = assertThrows(SessionCapabilityException.class, sessions::count);
        assertEquals("SessionListing", count.capability());
        assertEquals("count sessions", count.operation());
        SessionCapabilityException list = assertThrows(SessionCapabilityException.class, () -> sessions.list(null, 5));
        assertEquals("list sessions", list.operation());
    }
}
