package io.sessionkit.core;

import io.sessionkit.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's {@link Session} as a {@code Map}: every method loads a stored session on first
 * use, and every change is recorded exactly, through {@link SessionInterface#open} and
 * {@link SessionInterface#save} only.
 */
class SessionMapTest {

    private final CountingMemoryBackend backend = new CountingMemoryBackend();
    private final SessionInterface sessions = SessionInterface.create(SessionConfig.builder().build(), backend);

    /** Stores a session holding {@code attributes} and returns its cookie value. */
    private String stored(Map<String, Object> attributes) {
        Session session = sessions.open(null);
        session.putAll(attributes);
        sessions.save(session);
        backend.calls.clear();
        return session.id();
    }

    private String storedAda() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user", "ada");
        attributes.put("visits", 3);
        return stored(attributes);
    }

    private Map<String, Object> reloaded(String id) {
        return new LinkedHashMap<>(sessions.open(id));
    }

    static Stream<Arguments> firstUses() {
        return Stream.of(
                use("id", session -> session.id().length()),
                use("isNew", Session::isNew),
                use("isPermanent", Session::isPermanent),
                use("get", session -> session.get("user")),
                use("typed get", session -> session.get("user", String.class)),
                use("containsKey", session -> session.containsKey("user")),
                use("containsKey of an absent key", session -> session.containsKey("absent")),
                use("containsValue", session -> session.containsValue("ada")),
                use("containsValue of an absent value", session -> session.containsValue("grace")),
                use("size", Session::size),
                use("isEmpty", Session::isEmpty),
                use("keySet", session -> List.copyOf(session.keySet())),
                use("values", session -> List.copyOf(session.values())),
                use("entrySet", session -> session.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))),
                use("equals", session -> session.equals(Map.of("user", "ada", "visits", 3))),
                use("hashCode", Session::hashCode),
                use("markModified of a key", session -> {
                    session.markModified("user");
                    return List.copyOf(session.changedKeys());
                }),
                use("markModified", session -> {
                    session.markModified();
                    return List.copyOf(session.changedKeys());
                }));
    }

    private static Arguments use(String name, Function<Session, Object> use) {
        return Arguments.of(name, use);
    }

    /** What each first use answers on a fresh session object over the stored {@code user=ada, visits=3}. */
    private static final Map<String, Object> EXPECTED = Map.ofEntries(
            Map.entry("id", 43),
            Map.entry("isNew", false),
            Map.entry("isPermanent", true),
            Map.entry("get", "ada"),
            Map.entry("typed get", "ada"),
            Map.entry("containsKey", true),
            Map.entry("containsKey of an absent key", false),
            Map.entry("containsValue", true),
            Map.entry("containsValue of an absent value", false),
            Map.entry("size", 2),
            Map.entry("isEmpty", false),
            Map.entry("keySet", List.of("user", "visits")),
            Map.entry("values", List.of("ada", 3)),
            Map.entry("entrySet", Map.of("user", "ada", "visits", 3)),
            Map.entry("equals", true),
            Map.entry("hashCode", Map.of("user", "ada", "visits", 3).hashCode()),
            Map.entry("markModified of a key", List.of("user")),
            Map.entry("markModified", List.of("user", "visits")));

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstUses")
    @DisplayName("any first use loads the stored session, once")
    void anyFirstUseLoadsTheStoredSession(String name, Function<Session, Object> use) {
        String id = storedAda();
        Session session = sessions.open(id);
        assertEquals(List.of(), backend.calls, "open alone costs nothing");
        assertEquals(EXPECTED.get(name), use.apply(session), name);
        assertEquals(List.of("load session:" + id), backend.calls, name);
        assertTrue(session.isAccessed());
        assertEquals(id, session.id(), "the stored session's id is kept");
    }

    @Nested
    @DisplayName("changes")
    class Changes {

        @Test
        void anUnchangedSessionHasNoChangedAndNoRemovedKeys() {
            Session session = sessions.open(storedAda());
            assertEquals(Set.of(), session.changedKeys());
            assertEquals(Set.of(), session.removedKeys());
            assertFalse(session.isModified());
        }

        @Test
        void putAndRemoveAnswerThePreviousValueAsAMapDoes() {
            Session session = sessions.open(storedAda());
            assertEquals("ada", session.put("user", "grace"));
            assertNull(session.put("theme", "dark"));
            assertEquals(3, session.remove("visits"));
            assertNull(session.remove("absent"));
            sessions.save(session);
            assertEquals(Map.of("user", "grace", "theme", "dark"), reloaded(session.id()));
        }

        @Test
        void removingAnAbsentKeyChangesNothing() {
            String id = storedAda();
            Session session = sessions.open(id);
            assertNull(session.remove("absent"));
            assertFalse(session.isModified());
            assertEquals(Set.of(), session.removedKeys());
            sessions.save(session);
            assertEquals(List.of(), backend.callsStartingWith("save"));
        }

        @Test
        void putAllSetsAndRecordsEveryKey() {
            String id = storedAda();
            Session session = sessions.open(id);
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("theme", "dark");
            more.put("user", "grace");
            session.putAll(more);
            assertEquals(List.of("theme", "user"), List.copyOf(session.changedKeys()));
            sessions.save(session);
            assertEquals(Map.of("user", "grace", "visits", 3, "theme", "dark"), reloaded(id));
        }

        @Test
        void clearRemovesEveryStoredKeyAndEndsTheStoredSession() {
            String id = storedAda();
            Session session = sessions.open(id);
            session.clear();
            assertTrue(session.isEmpty());
            assertTrue(session.isModified());
            assertEquals(Set.of("user", "visits"), session.removedKeys());
            SaveResult result = sessions.save(session);
            assertTrue(result.setCookieHeader().startsWith("session=; Expires=Thu, 01 Jan 1970"), result.setCookieHeader());
            assertEquals(List.of("load session:" + id, "delete session:" + id), backend.calls);
        }

        @Test
        void clearingAfterSomeChangesKeepsOnlyStoredKeysAsRemovals() {
            Session session = sessions.open(storedAda());
            session.put("theme", "dark");
            session.clear();
            assertEquals(Set.of(), session.changedKeys());
            assertEquals(Set.of("user", "visits"), session.removedKeys());
        }

        @Test
        void markModifiedSavesTheWholeSessionWithEveryKeyChanged() {
            String id = storedAda();
            Session session = sessions.open(id);
            session.markModified();
            assertTrue(session.isModified());
            assertEquals(List.of("user", "visits"), List.copyOf(session.changedKeys()));
            sessions.save(session);
            assertEquals(List.of("load session:" + id, "save session:" + id), backend.calls);
        }

        @Test
        void markModifiedOfAnAbsentKeyStillSavesButRecordsNoKey() {
            String id = storedAda();
            Session session = sessions.open(id);
            session.markModified("absent");
            assertTrue(session.isModified());
            assertEquals(Set.of(), session.changedKeys());
            sessions.save(session);
            assertEquals(List.of("load session:" + id, "save session:" + id), backend.calls);
        }

        @Test
        void replaceAllRecordsEveryKey() {
            String id = storedAda();
            Session session = sessions.open(id);
            session.replaceAll((key, value) -> value + "!");
            assertEquals(List.of("user", "visits"), List.copyOf(session.changedKeys()));
            sessions.save(session);
            assertEquals(Map.of("user", "ada!", "visits", "3!"), reloaded(id));
        }

        @Test
        void aStoredKeyRemovedSetAndRemovedAgainIsOneRemoval() {
            Session session = sessions.open(storedAda());
            session.remove("user");
            session.put("user", "grace");
            assertEquals(Set.of("user"), session.changedKeys());
            assertEquals(Set.of(), session.removedKeys());
            session.remove("user");
            assertEquals(Set.of(), session.changedKeys());
            assertEquals(Set.of("user"), session.removedKeys());
        }

        @Test
        void aNewKeySetAndRemovedIsNeitherChangedNorRemoved() {
            Session session = sessions.open(storedAda());
            session.put("theme", "dark");
            session.remove("theme");
            assertEquals(Set.of(), session.changedKeys());
            assertEquals(Set.of(), session.removedKeys());
            assertTrue(session.isModified(), "a change and its undoing still write the session back");
        }

        @Test
        void theChangeSetViewsAreReadOnly() {
            Session session = sessions.open(storedAda());
            session.put("theme", "dark");
            session.remove("visits");
            assertThrows(UnsupportedOperationException.class, () -> session.changedKeys().clear());
            assertThrows(UnsupportedOperationException.class, () -> session.removedKeys().clear());
            assertThrows(UnsupportedOperationException.class, () -> session.values().clear());
        }

        @Test
        void aNullAttributeNameIsRefused() {
            Session session = sessions.open(null);
            assertThrows(NullPointerException.class, () -> session.put(null, "x"));
            assertFalse(session.isModified());
        }
    }

    @Nested
    @DisplayName("equality")
    class Equality {

        @Test
        void aSessionEqualsAMapWithTheSameEntriesAndHashesLikeIt() {
            Session session = sessions.open(storedAda());
            Map<String, Object> same = new LinkedHashMap<>(Map.of("user", "ada", "visits", 3));
            assertEquals(same, session);
            assertEquals(session, same);
            assertEquals(same.hashCode(), session.hashCode());
            assertNotEquals(session, Map.of("user", "ada"));
        }
    }
}
