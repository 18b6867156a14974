package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code SESSION_CONFLICT=fail} sees every way a request can read an attribute: one that read
 * {@code user} through any method or view, then set or removed it while another request changed
 * it, is refused with {@link SessionConflictException}; one that wrote it without reading it is
 * merged.
 */
class ConflictDetectionTest {

    private final CountingMemoryBackend.Versioned backend = new CountingMemoryBackend.Versioned();
    private final SessionInterface strict = SessionInterface.create(
            SessionConfig.builder().set("SESSION_CONFLICT", "fail").build(), backend);

    private String storedSession(Map<String, Object> attributes) {
        Session session = strict.open(null);
        session.putAll(attributes);
        strict.save(session);
        return session.id();
    }

    /** Another request changes {@code user} and saves first. */
    private void anotherRequestSetsUser(String id, String user) {
        Session other = strict.open(id);
        other.put("user", user);
        strict.save(other);
    }

    private Map<String, Object> stored(String id) {
        Session session = strict.open(id);
        assertFalse(session.isNew(), "the session is stored");
        return Map.copyOf(session);
    }

    static Stream<Arguments> reads() {
        return Stream.of(
                read("get", session -> session.get("user")),
                read("getOrDefault", session -> session.getOrDefault("user", "nobody")),
                read("get with a class", session -> session.get("user", String.class)),
                read("get with a type", session -> session.get("user", (Type) String.class)),
                read("containsKey", session -> session.containsKey("user")),
                read("containsValue", session -> session.containsValue("ada")),
                read("keySet", session -> List.copyOf(session.keySet())),
                read("values", session -> List.copyOf(session.values())),
                read("entrySet", session -> List.copyOf(session.entrySet())),
                read("forEach", session -> session.forEach((key, value) -> { })));
    }

    private static Arguments read(String name, Consumer<Session> read) {
        return Arguments.of(name, read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void aReadThenWrittenAttributeThatAnotherRequestChangedIsRefused(String name, Consumer<Session> read) {
        String id = storedSession(Map.of("user", "ada", "theme", "light"));
        Session session = strict.open(id);
        read.accept(session);
        session.put("user", "ada lovelace");
        anotherRequestSetsUser(id, "grace");

        SessionConflictException error = assertThrows(SessionConflictException.class, () -> strict.save(session));
        assertEquals(Set.of("user"), error.keys());
        assertEquals("grace", stored(id).get("user"), "nothing of the refused save was stored");
    }

    @Test
    void replaceAllReadsTheValuesItReplaces() {
        String id = storedSession(Map.of("user", "ada"));
        Session session = strict.open(id);
        session.replaceAll((key, value) -> value + "!");
        anotherRequestSetsUser(id, "grace");
        SessionConflictException error = assertThrows(SessionConflictException.class, () -> strict.save(session));
        assertEquals(Set.of("user"), error.keys());
    }

    @Test
    void removingAReadAttributeThatAnotherRequestChangedIsRefused() {
        String id = storedSession(Map.of("user", "ada", "theme", "light"));
        Session session = strict.open(id);
        if ("ada".equals(session.get("user"))) {
            session.remove("user");
        }
        anotherRequestSetsUser(id, "grace");
        SessionConflictException error = assertThrows(SessionConflictException.class, () -> strict.save(session));
        assertEquals(Set.of("user"), error.keys());
        assertEquals(Map.of("user", "grace", "theme", "light"), stored(id));
    }

    @Test
    void emptyingASessionWhoseReadAttributeAnotherRequestChangedIsRefused() {
        String id = storedSession(Map.of("user", "ada"));
        Session logout = strict.open(id);
        if ("ada".equals(logout.get("user"))) {
            logout.clear();
        }
        anotherRequestSetsUser(id, "grace");
        SessionConflictException error = assertThrows(SessionConflictException.class, () -> strict.save(logout));
        assertEquals(Set.of("user"), error.keys());
        assertEquals(Map.of("user", "grace"), stored(id), "the session was neither deleted nor emptied");
    }

    @Test
    void anAttributeReadButNotWrittenIsNoConflict() {
        String id = storedSession(Map.of("user", "ada"));
        Session session = strict.open(id);
        session.put("greeting", "hello " + session.get("user"));
        anotherRequestSetsUser(id, "grace");
        strict.save(session);
        assertEquals(Map.of("user", "grace", "greeting", "hello ada"), stored(id));
    }
}
