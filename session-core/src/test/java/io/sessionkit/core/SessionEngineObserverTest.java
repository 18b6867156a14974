package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionLockTimeoutException;
import io.sessionkit.SessionTooLargeException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine tells its {@link SessionEngineObserver} what it meets, at the moment it meets it: each
 * serialized size, a refusal by {@code SESSION_MAX_SIZE}, undecodable stored data, a conditional
 * write that lost a race and the retry after it, a lock time-out.
 */
class SessionEngineObserverTest {

    /** Writes down every event, in order. */
    static final class RecordingObserver implements SessionEngineObserver {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void serialized(int bytes) {
            events.add("serialized " + bytes);
        }

        @Override
        public void refusedTooLarge(int bytes) {
            events.add("refusedTooLarge " + bytes);
        }

        @Override
        public void decodeFailed() {
            events.add("decodeFailed");
        }

        @Override
        public void conflictDetected() {
            events.add("conflictDetected");
        }

        @Override
        public void retriedAfterConflict() {
            events.add("retriedAfterConflict");
        }

        @Override
        public void lockTimedOut() {
            events.add("lockTimedOut");
        }

        /** The events but the serialized sizes, which every write adds. */
        List<String> withoutSizes() {
            return events.stream().filter(event -> !event.startsWith("serialized ")).toList();
        }
    }

    private final RecordingObserver observer = new RecordingObserver();
    private final RacingMemoryBackend backend = new RacingMemoryBackend();

    private SessionInterface engine(Map<String, ?> settings) {
        return SessionInterface.builder(SessionConfig.builder().fromMap(settings).build()).backend(backend)
                .observer(observer).build();
    }

    private String stored(SessionInterface sessions, Map<String, Object> attributes) {
        Session session = sessions.open(null);
        session.putAll(attributes);
        sessions.save(session);
        return session.id();
    }

    @Test
    void eachWriteReportsTheSizeOfWhatItStored() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.put("cart", "3 books");
        sessions.save(session);

        int created = backend.callsStartingWith("create").size();
        assertEquals(1, created);
        byte[] now = backend.entries.get("session:" + id);
        assertEquals(2, observer.events.size(), observer.events.toString());
        assertTrue(observer.events.get(0).startsWith("serialized "));
        assertEquals("serialized " + now.length, observer.events.get(1));
    }

    @Test
    void aSessionOverTheMaximumSizeIsReportedAsRefusedWithItsSize() {
        SessionInterface sessions = engine(Map.of("SESSION_MAX_SIZE", "100"));
        Session session = sessions.open(null);
        session.put("big", "x".repeat(200));
        SessionTooLargeException refused = assertThrows(SessionTooLargeException.class, () -> sessions.save(session));

        assertEquals(2, observer.events.size(), observer.events.toString());
        String size = observer.events.get(0).substring("serialized ".length());
        assertTrue(Integer.parseInt(size) > 200, size);
        assertEquals("refusedTooLarge " + size, observer.events.get(1));
        assertTrue(refused.getMessage().contains(size), refused.getMessage());
        assertTrue(backend.entries.isEmpty(), "nothing stored");
    }

    @Test
    void aSessionAtTheMaximumSizeIsNotRefused() {
        SessionInterface probe = SessionInterface.builder(SessionConfig.builder().build()).backend(new CountingMemoryBackend())
                .observer(observer).build();
        stored(probe, Map.of("user", "ada"));
        int size = Integer.parseInt(observer.events.get(0).substring("serialized ".length()));
        observer.events.clear();

        stored(engine(Map.of("SESSION_MAX_SIZE", String.valueOf(size))), Map.of("user", "ada"));
        assertEquals(List.of("serialized " + size), observer.events);
    }

    @Test
    void undecodableStoredDataIsReportedOnce() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        backend.entries.put("session:" + id, "not json {".getBytes(StandardCharsets.UTF_8));

        Session session = sessions.open(id);
        assertNull(session.get("user"));
        assertTrue(session.isNew());
        assertEquals(List.of("decodeFailed"), observer.withoutSizes());
    }

    @Test
    void aReplaceThatLostARaceIsAConflictAndItsMergedRetry() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.put("cart", "1 book");
        backend.raceBeforeConditionalWrites(1, () -> anotherRequestPuts(sessions, id, "theme", "dark"));
        sessions.save(session);

        assertEquals(List.of("conflictDetected", "retriedAfterConflict"), observer.withoutSizes());
        Map<String, Object> merged = Map.copyOf(sessions.open(id));
        assertEquals(Map.of("user", "ada", "cart", "1 book", "theme", "dark"), merged);
    }

    @Test
    void aReplaceThatFindsTheRecordDeletedIsAConflictWithoutRetry() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.put("cart", "1 book");
        backend.raceBeforeConditionalWrites(1, () -> backend.delete("session:" + id));
        sessions.save(session);

        assertEquals(List.of("conflictDetected"), observer.withoutSizes());
    }

    @Test
    void aReplaceThatFindsUndecodableDataReportsTheDecodeFailure() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.put("cart", "1 book");
        backend.raceBeforeConditionalWrites(1, () -> backend.save("session:" + id,
                "garbage".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1)));
        sessions.save(session);

        assertEquals(List.of("conflictDetected", "decodeFailed"), observer.withoutSizes());
    }

    @Test
    void anEmptiedSessionWhoseDeleteLostToAnUnchangedSaveIsDeletedOnRetry() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.remove("user");
        backend.raceBeforeConditionalWrites(1, null); // another request saves it unchanged
        sessions.save(session);

        assertEquals(List.of("conflictDetected", "retriedAfterConflict"), observer.withoutSizes());
        assertFalse(backend.entries.containsKey("session:" + id));
    }

    @Test
    void anEmptiedSessionThatAnotherRequestFilledMeanwhileIsAConflictThatKeepsItsData() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.remove("user");
        backend.raceBeforeConditionalWrites(1, () -> anotherRequestPuts(sessions, id, "theme", "dark"));
        sessions.save(session);

        assertEquals(List.of("conflictDetected"), observer.withoutSizes());
        assertEquals(Map.of("theme", "dark"), Map.copyOf(sessions.open(id)));
    }

    @Test
    void anEmptiedSessionWhoseMergedSaveAlsoLostRetriesUntilItsWritesStopConflicting() {
        SessionInterface sessions = engine(Map.of());
        String id = stored(sessions, Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.remove("user");
        backend.raceBeforeConditionalWrites(2, () -> anotherRequestPuts(sessions, id, "theme", "dark"));
        sessions.save(session);

        // The retried delete still expects the version read before the second race: a third conflict,
        // then the merge onto the newest record is saved.
        assertEquals(List.of("conflictDetected", "conflictDetected", "retriedAfterConflict", "conflictDetected"),
                observer.withoutSizes());
        assertEquals(Map.of("theme", "dark"), Map.copyOf(sessions.open(id)));
    }

    private void anotherRequestPuts(SessionInterface sessions, String id, String key, String value) {
        Session other = sessions.open(id);
        other.put(key, value);
        sessions.save(other);
    }

    @Test
    void aLockThatStaysTakenPastTheTimeoutIsReported() {
        SessionInterface sessions = engine(Map.of("SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.05S"));
        String id = stored(sessions, Map.of("user", "ada"));
        Session holder = sessions.open(id);
        holder.get("user");

        Session waiter = sessions.open(id);
        assertThrows(SessionLockTimeoutException.class, () -> waiter.get("user"));
        assertEquals(List.of("lockTimedOut"), observer.withoutSizes());
        sessions.save(holder);
    }

    @Test
    void aLockTakenAfterWaitingIsNotATimeout() {
        SessionInterface sessions = engine(Map.of("SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT5S"));
        String id = stored(sessions, Map.of("user", "ada"));
        Session holder = sessions.open(id);
        holder.get("user");
        backend.locks.clear(); // as if the holder's lease ran out

        assertEquals("ada", sessions.open(id).get("user"));
        assertEquals(List.of(), observer.withoutSizes());
    }
}
