package io.sessionkit.micrometer;

import io.micrometer.core.instrument.DistributionSummary;
import io.sessionkit.Session;
import io.sessionkit.SessionLockTimeoutException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.spi.SessionBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each counter and the size summary, after the real situation it counts, on the filesystem
 * backend: sessions created, regenerated and invalidated; a conflict of two overlapping requests and
 * its retry; a session too large; undecodable stored data; a lock time-out.
 */
class EngineCountersTest {

    @TempDir
    Path directory;

    private MeteredEngine engine;

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void everyCounterStartsAtZero() {
        engine = new MeteredEngine(directory, Map.of());
        for (String event : List.of("created", "regenerated", "invalidated", "expired", "revoked")) {
            assertEquals(0, engine.sessions(event), event);
        }
        for (String name : List.of(MeterNames.DECODE_FAILURES,
                MeterNames.TOO_LARGE, MeterNames.CONFLICTS, MeterNames.CONFLICT_RETRIES, MeterNames.LOCK_TIMEOUTS,
                MeterNames.UNAVAILABLE)) {
            assertEquals(0, engine.counter(name), name);
        }
        assertEquals(0, engine.summary(MeterNames.SESSION_SIZE).count());
        for (String result : List.of("hit", "miss")) {
            assertEquals(0, engine.registry.get(MeterNames.NEAR_CACHE_READS).tag(MeterNames.RESULT_TAG, result).counter()
                    .count(), result);
        }
    }

    @Test
    void sessionsCreatedRegeneratedInvalidatedAndRevokedAreCounted() {
        engine = new MeteredEngine(directory, Map.of());
        String id = engine.stored(Map.of("user", "ada"));
        engine.stored(Map.of("user", "grace"));
        Session regenerated = engine.sessions.open(id);
        regenerated.get("user");
        regenerated.regenerate();
        engine.sessions.save(regenerated);
        Session ended = engine.sessions.open(regenerated.id());
        ended.invalidate();
        engine.sessions.save(ended);

        String other = engine.stored(Map.of("user", "hopper"));
        assertTrue(engine.sessions.revoke(other));

        assertEquals(3, engine.sessions("created"));
        assertEquals(1, engine.sessions("regenerated"));
        assertEquals(1, engine.sessions("invalidated"));
        assertEquals(1, engine.sessions("revoked"));
    }

    @Test
    void eachWrittenSessionsSizeIsRecordedInBytes() {
        engine = new MeteredEngine(directory, Map.of());
        String small = engine.stored(Map.of("user", "ada"));
        engine.stored(Map.of("user", "ada", "notes", "n".repeat(1000)));

        DistributionSummary size = engine.summary(MeterNames.SESSION_SIZE);
        assertEquals(2, size.count());
        assertEquals("bytes", size.getId().getBaseUnit());
        assertTrue(size.max() > 1000, "max " + size.max());
        byte[] stored = engine.rawBackend().capability(io.sessionkit.spi.ConditionalWrites.class).orElseThrow()
                .loadVersioned("session:" + small).value();
        assertEquals(stored.length + size.max(), size.totalAmount(), 0.0);
    }

    @Test
    void aSessionLargerThanTheMaximumIsCountedAndItsSizeRecorded() {
        engine = new MeteredEngine(directory, Map.of("SESSION_MAX_SIZE", "200"));
        Session session = engine.sessions.open(null);
        session.put("notes", "n".repeat(500));
        assertThrows(SessionTooLargeException.class, () -> engine.sessions.save(session));

        assertEquals(1, engine.counter(MeterNames.TOO_LARGE));
        assertEquals(1, engine.summary(MeterNames.SESSION_SIZE).count());
        assertTrue(engine.summary(MeterNames.SESSION_SIZE).max() > 500);
        assertEquals(0, engine.sessions("created"));
    }

    @Test
    void twoOverlappingSavesOfOneSessionAreAConflictAndARetry() {
        engine = new MeteredEngine(directory, Map.of());
        String id = engine.stored(Map.of("user", "ada"));
        Session first = engine.sessions.open(id);
        Session second = engine.sessions.open(id);
        first.put("theme", "dark");
        second.put("cart", "1 book");
        engine.sessions.save(first);
        engine.sessions.save(second);

        assertEquals(1, engine.counter(MeterNames.CONFLICTS));
        assertEquals(1, engine.counter(MeterNames.CONFLICT_RETRIES));
        assertEquals(Map.of("user", "ada", "theme", "dark", "cart", "1 book"), Map.copyOf(engine.sessions.open(id)));
    }

    @Test
    void undecodableStoredDataIsCountedAndGivesANewSession() {
        engine = new MeteredEngine(directory, Map.of());
        String id = engine.stored(Map.of("user", "ada"));
        SessionBackend raw = engine.rawBackend();
        raw.save("session:" + id, "\u0000 not a session".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
        raw.close();

        Session session = engine.sessions.open(id);
        assertNull(session.get("user"));
        assertTrue(session.isNew());
        assertEquals(1, engine.counter(MeterNames.DECODE_FAILURES));
    }

    @Test
    void aLockThatStaysTakenIsCountedAsATimeOut() {
        engine = new MeteredEngine(directory, Map.of("SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.05S"));
        String id = engine.stored(Map.of("user", "ada"));
        Session holder = engine.sessions.open(id);
        holder.get("user");
        assertThrows(SessionLockTimeoutException.class, () -> engine.sessions.open(id).get("user"));
        engine.sessions.save(holder);

        assertEquals(1, engine.counter(MeterNames.LOCK_TIMEOUTS));
        assertEquals("ada", engine.sessions.open(id).get("user"), "the lock was released with the holder's save");
    }
}
