package io.sessionkit.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.sessionkit.Session;
import io.sessionkit.SessionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * After sessions of every kind went through a metered engine (created, read, changed in overlapping
 * requests, regenerated, refused, locked out, invalidated), no meter's name or tag carries a session
 * id, a key or an attribute's name or value: the tags are the backend's type, the operation and the
 * outcome, or what happened to sessions, with values from small fixed sets.
 */
class NoIdentifyingTagsTest {

    @TempDir
    Path directory;

    private static final Set<String> OUTCOMES = Set.of("success", "absent", "refused", "error");
    private static final Set<String> EVENTS = Set.of("created", "regenerated", "invalidated", "expired", "revoked");

    @Test
    void noMeterCarriesAnIdOrAnAttribute() {
        List<String> secrets = new ArrayList<>(List.of("user", "ada-lovelace", "cart", "three-books", "theme", "dark-mode",
                "big", "session:"));
        Set<String> operations = new HashSet<>();
        try (MeteredEngine engine = new MeteredEngine(directory, Map.of("SESSION_MAX_SIZE", "300",
                "SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.05S"))) {
            String id = engine.stored(Map.of("user", "ada-lovelace"));
            secrets.add(id);
            Session first = engine.sessions.open(id);
            Session second = engine.sessions.open(id);
            first.put("cart", "three-books");
            engine.sessions.save(first); // first held the lock, so second waits for it only now
            second.put("theme", "dark-mode");
            engine.sessions.save(second);
            Session holder = engine.sessions.open(id);
            holder.get("user");
            assertThrows(SessionException.class, () -> engine.sessions.open(id).get("user"));
            holder.regenerate();
            engine.sessions.save(holder);
            secrets.add(holder.id());
            Session large = engine.sessions.open(holder.id());
            large.put("big", "x".repeat(400));
            assertThrows(SessionException.class, () -> engine.sessions.save(large));
            Session ended = engine.sessions.open(holder.id());
            ended.invalidate();
            engine.sessions.save(ended);
            secrets.add(ended.id());

            List<Meter> meters = engine.registry.getMeters();
            assertTrue(meters.size() > 15, "meters: " + meters.size());
            for (Meter meter : meters) {
                Meter.Id meterId = meter.getId();
                assertTrue(meterId.getName().startsWith("sessionkit."), meterId.getName());
                for (String secret : secrets) {
                    assertFalse(meterId.getName().contains(secret), meterId + " names " + secret);
                }
                for (Tag tag : meterId.getTags()) {
                    for (String secret : secrets) {
                        assertFalse(tag.getValue().contains(secret), meterId + " carries " + secret);
                    }
                    switch (tag.getKey()) {
                        case "type" -> assertEquals("filesystem", tag.getValue());
                        case "outcome" -> assertTrue(OUTCOMES.contains(tag.getValue()), tag.getValue());
                        case "operation" -> operations.add(tag.getValue());
                        case "event" -> assertTrue(EVENTS.contains(tag.getValue()), tag.getValue());
                        case "result" -> assertTrue(Set.of("hit", "miss").contains(tag.getValue()), tag.getValue());
                        default -> fail(meterId + " has an unexpected tag " + tag);
                    }
                }
            }
        }
        assertTrue(operations.containsAll(Set.of("create", "replace", "tryLock", "unlock", "delete")), operations.toString());
        Set<String> methodNames = new HashSet<>(List.of("load", "save", "touch", "delete"));
        for (Class<?> capability : List.of(io.sessionkit.spi.ConditionalWrites.class, io.sessionkit.spi.SessionLocks.class,
                io.sessionkit.spi.ExpiryReportingLoad.class, io.sessionkit.spi.TouchingLoad.class)) {
            for (java.lang.reflect.Method method : capability.getMethods()) {
                methodNames.add(method.getName());
            }
        }
        assertTrue(methodNames.containsAll(operations), "every operation is a method of the SPI: " + operations);
    }
}
