package io.sessionkit.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionException;
import io.sessionkit.spi.ConditionalWrites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every call the engine makes to a real backend is timed, the five operations and the
 * capabilities' methods alike, tagged with the backend's type, the operation and its outcome.
 */
class BackendOperationTimersTest {

    @TempDir
    Path directory;

    private MeteredEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Set<String> timedOperations() {
        return engine.registry.find(MeterNames.BACKEND_OPERATION).timers().stream()
                .map(timer -> timer.getId().getTag(MeterNames.OPERATION_TAG) + " " + timer.getId().getTag(MeterNames.OUTCOME_TAG)
                        + " " + timer.count())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theFilesystemBackendsCapabilitiesAreTimedByMethodName() {
        engine = new MeteredEngine(directory, Map.of());
        String id = engine.stored(Map.of("user", "ada"));
        Session read = engine.sessions.open(id);
        assertEquals("ada", read.get("user"));
        read.put("cart", "1 book");
        engine.sessions.save(read);
        Session ended = engine.sessions.open(id);
        ended.invalidate();
        engine.sessions.save(ended);
        assertTrue(engine.sessions.open(id).isEmpty());

        // create for the new id, two versioned reads (the filesystem's read does not extend the life: the
        // save does), replace, a conditional delete, then a read that finds nothing.
        assertEquals(new TreeSet<>(Set.of("create success 1", "loadVersioned success 2", "replace success 1",
                "delete success 1", "loadVersioned absent 1")), timedOperations());
        Timer create = engine.registry.get(MeterNames.BACKEND_OPERATION).tag(MeterNames.OPERATION_TAG, "create").timer();
        assertEquals("filesystem", create.getId().getTag(MeterNames.TYPE_TAG));
        assertEquals(Meter.Type.TIMER, create.getId().getType());
    }

    @Test
    void aConditionalWriteThatLostIsRefused() {
        engine = new MeteredEngine(directory, Map.of());
        String id = engine.stored(Map.of("user", "ada"));
        Session first = engine.sessions.open(id);
        Session second = engine.sessions.open(id);
        first.put("a", "1");
        second.put("b", "2");
        engine.sessions.save(first);
        engine.sessions.save(second);

        assertEquals(1, engine.timed("replace", "refused"));
        assertEquals(2, engine.timed("replace", "success"));
        assertEquals(3, engine.timed("loadVersioned", "success"), "the two requests' reads and the re-read after the conflict");
    }

    @Test
    void aCapabilityTheApplicationUsesIsTimedToo() {
        engine = new MeteredEngine(directory, Map.of());
        String id = engine.stored(Map.of("user", "ada"));
        ConditionalWrites writes = engine.sessions.capability(ConditionalWrites.class).orElseThrow();
        assertNotNull(writes.loadVersioned("session:" + id));
        assertNull(writes.loadVersioned("session:nothing-here"));
        assertEquals(1, engine.timed("loadVersioned", "success"));
        assertEquals(1, engine.timed("loadVersioned", "absent"));
        assertTrue(writes.toString().startsWith("timed "), writes.toString());
        assertEquals(writes, writes);
        assertNotEquals(writes, engine.sessions.capability(ConditionalWrites.class).orElseThrow());
        assertEquals(System.identityHashCode(writes), writes.hashCode());
    }

    @Test
    void aLockAlreadyTakenIsRefusedAndTheReleaseSucceeds() {
        engine = new MeteredEngine(directory, Map.of("SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.05S"));
        String id = engine.stored(Map.of("user", "ada"));
        Session holder = engine.sessions.open(id);
        holder.get("user");
        assertThrows(SessionException.class, () -> engine.sessions.open(id).get("user"));
        engine.sessions.save(holder);

        assertTrue(engine.timed("tryLock", "refused") >= 1, timedOperations().toString());
        assertEquals(1, engine.timed("tryLock", "success"));
        assertEquals(1, engine.timed("unlock", "success"));
    }

    @Test
    void theNullBackendsMissesAreAbsentAndItsRefusalsErrors() {
        engine = new MeteredEngine(directory, Map.of("SESSION_TYPE", "null"));
        Session session = engine.sessions.open("A".repeat(43));
        assertTrue(session.isEmpty());
        session.put("user", "ada");
        assertThrows(SessionException.class, () -> engine.sessions.save(session));

        assertEquals(1, engine.timed("loadVersioned", "absent"), timedOperations().toString());
        assertEquals(1, engine.timed("create", "error"), timedOperations().toString());
        assertEquals("null", engine.registry.get(MeterNames.BACKEND_OPERATION).timers().iterator().next()
                .getId().getTag(MeterNames.TYPE_TAG));
    }

    @Test
    void aClosedBackendsFailuresAreErrors() {
        engine = new MeteredEngine(directory, Map.of());
        String id = engine.stored(Map.of("user", "ada"));
        engine.sessions.close();
        assertThrows(SessionBackendException.class, () -> engine.sessions.open(id).get("user"));
        assertEquals(1, engine.timed("loadVersioned", "error"), timedOperations().toString());
        engine = null;
    }
}
