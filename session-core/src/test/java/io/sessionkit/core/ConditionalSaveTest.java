package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConflictException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The paths of a save with conditional writes that concurrent requests rarely take: a new id
 * that is taken, saves and deletions that keep losing the race and give up after
 * {@value VersionedSave#MAX_ATTEMPTS} attempts, and an emptied session that another request
 * deleted or changed meanwhile.
 */
class ConditionalSaveTest {

    private final RacingMemoryBackend backend = new RacingMemoryBackend();
    private final SessionInterface sessions = SessionInterface.create(SessionConfig.builder().build(), backend);

    private String storedSession(Map<String, Object> attributes) {
        Session session = sessions.open(null);
        session.putAll(attributes);
        sessions.save(session);
        backend.calls.clear();
        return session.id();
    }

    private Map<String, Object> stored(String id) {
        Session session = sessions.open(id);
        assertFalse(session.isNew(), "the session is stored");
        return Map.copyOf(session);
    }

    private void anotherRequestPuts(String id, String key, Object value) {
        Session other = sessions.open(id);
        other.put(key, value);
        sessions.save(other);
    }

    @Test
    void aNewSessionWhoseIdTheBackendAlreadyHoldsIsNotSavedAndTheFailureSaysWhy() {
        CountingMemoryBackend.Versioned taken = new CountingMemoryBackend.Versioned() {
            @Override
            public synchronized boolean create(String key, byte[] value, Duration ttl) {
                record("create " + key);
                return false; // as if another record had this key
            }
        };
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(), taken);
        Session session = engine.open(null);
        session.put("user", "ada");
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> engine.save(session));
        assertEquals("save", error.operation());
        assertTrue(error.getMessage().contains("a new session id was already taken; check that"
                + " SESSION_KEY_PREFIX is not shared with data of another kind"), error.getMessage());
        assertEquals(List.of("create session:" + session.id()), taken.calls);
        assertTrue(taken.entries.isEmpty());
    }

    @Test
    void aSessionCreatedInThisRequestCanBeSavedAgain() {
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        session.put("theme", "dark");
        sessions.save(session);
        assertEquals(Map.of("user", "ada", "theme", "dark"), stored(session.id()));

        Session again = sessions.open(null);
        again.put("user", "grace");
        sessions.save(again);
        backend.delete("session:" + again.id());
        again.put("theme", "light");
        sessions.save(again);
        assertTrue(sessions.open(again.id()).isNew(), "deleted since its first save: not recreated");
    }

    @Test
    void aRegeneratedSessionIsCreatedOnlyAfterItsOldRecordIsGone() {
        String id = storedSession(Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.regenerate();
        String newId = session.id();
        backend.failingVerb = "delete";
        backend.failure = new IllegalStateException("connection reset");
        assertThrows(SessionBackendException.class, () -> sessions.save(session));
        assertFalse(backend.calls.stream().anyMatch(call -> call.startsWith("create ")), backend.calls.toString());
        backend.failure = null;
        assertEquals(Map.of("user", "ada"), stored(id));

        Session again = sessions.open(id);
        again.regenerate();
        backend.calls.clear();
        sessions.save(again);
        assertEquals(List.of("delete session:" + id, "create session:" + again.id()), backend.calls);
        assertNotEquals(newId, again.id());
    }

    @Test
    void aSaveThatLosesEveryRaceGivesUpAfterTheLastAttempt() {
        String id = storedSession(Map.of("user", "ada"));
        Session session = sessions.open(id);
        session.put("theme", "dark");
        backend.loseEveryRace();
        SessionConflictException error = assertThrows(SessionConflictException.class, () -> sessions.save(session));
        assertEquals("the session was saved by other requests 32 times while this request tried to save it;"
                + " its changes were not saved", error.getMessage());
        assertEquals(Set.of(), error.keys(), "no attribute of this request was changed by the others");
        assertEquals(VersionedSave.MAX_ATTEMPTS, backend.callsStartingWith("replace").size());
        backend.raceBeforeConditionalWrites(0, null);
        assertEquals(Map.of("user", "ada"), stored(id));
    }

    @Test
    void emptyingASessionThatLosesEveryRaceGivesUpAfterTheLastAttempt() {
        String id = storedSession(Map.of("user", "ada"));
        Session logout = sessions.open(id);
        logout.remove("user");
        anotherRequestPuts(id, "theme", "dark");
        backend.calls.clear();
        backend.loseEveryRace();
        SessionConflictException error = assertThrows(SessionConflictException.class, () -> sessions.save(logout));
        assertEquals("the session was saved by other requests 32 times while this request tried to empty it;"
                + " its changes were not saved", error.getMessage());
        assertEquals(VersionedSave.MAX_ATTEMPTS, backend.callsStartingWith("conditional").size(), "conditional deletes");
        assertEquals(VersionedSave.MAX_ATTEMPTS, backend.callsStartingWith("replace").size(),
                "each followed by a replace with the other request's attribute");
        backend.raceBeforeConditionalWrites(0, null);
        assertEquals(Map.of("user", "ada", "theme", "dark"), stored(id));
    }

    @Test
    void emptyingAnUnchangedSessionCostsOneConditionalDelete() {
        String id = storedSession(Map.of("user", "ada"));
        Session logout = sessions.open(id);
        logout.clear();
        SaveResult result = sessions.save(logout);
        assertEquals(List.of("loadVersionedAndTouch session:" + id, "conditional delete session:" + id), backend.calls);
        assertTrue(result.setCookieHeader().contains("Max-Age=0"), result.setCookieHeader());
    }

    @Test
    void emptyingASessionThatAnotherRequestDeletedMeanwhileEndsIt() {
        String id = storedSession(Map.of("user", "ada"));
        Session emptying = sessions.open(id);
        emptying.remove("user");
        Session logout = sessions.open(id);
        logout.invalidate();
        sessions.save(logout);
        SaveResult result = sessions.save(emptying);
        assertTrue(result.setCookieHeader().contains("Max-Age=0"), "the cookie is expired: " + result.setCookieHeader());
        assertTrue(backend.entries.isEmpty(), backend.entries.keySet().toString());
    }

    @Test
    void emptyingASessionRetriesWhenItsMergedSaveLosesARace() {
        String id = storedSession(Map.of("user", "ada"));
        Session emptying = sessions.open(id);
        emptying.remove("user");
        anotherRequestPuts(id, "theme", "dark");
        // The conditional delete fails (the theme was added); just before the merged save, a third
        // request adds another attribute, so that save fails too and the removal is applied again.
        backend.raceBeforeConditionalWrites(2, new Runnable() {
            private boolean deleteSeen;

            @Override
            public void run() {
                if (deleteSeen) {
                    anotherRequestPuts(id, "lang", "en");
                }
                deleteSeen = true;
            }
        });
        SaveResult result = sessions.save(emptying);
        assertNull(result.setCookieHeader(), "the session lives on with the other requests' attributes");
        assertEquals(Map.of("theme", "dark", "lang", "en"), stored(id));
    }
}
