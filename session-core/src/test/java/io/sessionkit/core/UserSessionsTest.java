package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionCapabilityException;
import io.sessionkit.SessionListener;
import io.sessionkit.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code SESSION_PRINCIPAL_KEY}: the engine keeps the backend's principal index in step with the
 * attribute, for an index kept in the entries and for one kept beside them, and lists and
 * revokes a user's sessions through it.
 */
class UserSessionsTest {

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final List<String> revoked = new ArrayList<>();

    private SessionInterface engine(CountingMemoryBackend backend, Map<String, String> settings) {
        backend.clock = clock;
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent(ConfigKeys.SESSION_PRINCIPAL_KEY, "user");
        SessionInterface sessions = SessionInterface.create(SessionConfig.builder().fromMap(all).clock(clock).build(), backend);
        sessions.addListener(new SessionListener() {
            @Override
            public void revoked(String id) {
                revoked.add(id);
            }
        });
        return sessions;
    }

    private SessionInterface engine(CountingMemoryBackend backend) {
        return engine(backend, Map.of());
    }

    private static String loggedIn(SessionInterface sessions, Object user) {
        Session session = sessions.open(null);
        session.put("user", user);
        sessions.save(session);
        return session.id();
    }

    private static List<String> assigns(CountingMemoryBackend backend) {
        return backend.callsStartingWith("assign");
    }

    private static Set<String> idsOf(SessionInterface sessions, String user) {
        return sessions.sessionsOf(user).stream().map(SessionSummary::id).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLoginIsIndexedAndListedWithItsTimesAndSize(boolean keptInEntry) {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(keptInEntry);
        SessionInterface sessions = engine(backend);
        String id = loggedIn(sessions, "alice");
        assertEquals(List.of("assign session:" + id + " null->alice"), assigns(backend));

        List<SessionSummary> listed = sessions.sessionsOf("alice");
        assertEquals(1, listed.size());
        SessionSummary summary = listed.get(0);
        assertEquals(id, summary.id());
        assertEquals("alice", summary.principal());
        assertEquals(clock.instant(), summary.created());
        assertEquals(clock.instant().plus(Duration.ofDays(31)), summary.expiresAt());
        assertEquals(backend.entries.get("session:" + id).length, summary.size());
        assertEquals(List.of(), sessions.sessionsOf("bob"));
    }

    @Test
    void anIndexInTheEntryIsWrittenOnlyWhenThePrincipalChanges() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend);
        String id = loggedIn(sessions, "alice");
        backend.calls.clear();

        Session cart = sessions.open(id);
        cart.put("cart", List.of("apple"));
        sessions.save(cart);
        Session read = sessions.open(id);
        read.get("cart");
        sessions.save(read);
        assertEquals(List.of(), assigns(backend), "neither a save nor a refresh of the same user writes the index");

        Session switched = sessions.open(id);
        switched.put("user", "bob");
        sessions.save(switched);
        Session logout = sessions.open(id);
        logout.remove("user");
        sessions.save(logout);
        assertEquals(List.of("assign session:" + id + " alice->bob", "assign session:" + id + " bob->null"), assigns(backend), backend.calls.toString());
        assertEquals(Set.of(), idsOf(sessions, "bob"));
    }

    @Test
    void anIndexBesideTheEntriesFollowsEachSaveRefreshAndDelete() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(false);
        SessionInterface sessions = engine(backend);
        String id = loggedIn(sessions, "alice");
        backend.calls.clear();

        Session cart = sessions.open(id);
        cart.put("cart", List.of("apple"));
        sessions.save(cart);
        clock.advance(Duration.ofMinutes(5));
        Session read = sessions.open(id);
        read.get("cart");
        sessions.save(read);
        Session ended = sessions.open(id);
        ended.invalidate();
        sessions.save(ended);
        String key = "session:" + id;
        assertEquals(List.of("assign " + key + " alice->alice", "assign " + key + " alice->alice"), assigns(backend),
                "an invalidated session's key is left to the index's reads, which skip keys that are gone");
        assertEquals(Set.of(), idsOf(sessions, "alice"));

        String emptied = loggedIn(sessions, "alice");
        backend.calls.clear();
        Session logout = sessions.open(emptied);
        logout.clear();
        sessions.save(logout);
        assertEquals(List.of("assign session:" + emptied + " alice->null"), assigns(backend),
                "a session emptied of its attributes is deleted and forgotten");
    }

    @Test
    void aSessionWithoutAPrincipalNeverTouchesTheIndex() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(false);
        SessionInterface sessions = engine(backend);
        Session anonymous = sessions.open(null);
        anonymous.put("cart", List.of("apple"));
        sessions.save(anonymous);
        Session read = sessions.open(anonymous.id());
        read.get("cart");
        sessions.save(read);
        Session ended = sessions.open(anonymous.id());
        ended.invalidate();
        sessions.save(ended);
        assertEquals(List.of(), assigns(backend));
    }

    @Test
    void aRefreshHeldBackByTheMinimumIntervalWritesNoIndex() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(false);
        SessionInterface sessions = engine(backend, Map.of(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, "PT1H"));
        String id = loggedIn(sessions, "alice");
        backend.calls.clear();
        Session read = sessions.open(id);
        read.get("user");
        sessions.save(read);
        assertEquals(List.of(), assigns(backend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRegeneratedLoginListsOnlyTheNewId(boolean keptInEntry) {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(keptInEntry);
        SessionInterface sessions = engine(backend);
        String before = loggedIn(sessions, "alice");
        Session login = sessions.open(before);
        login.regenerate();
        login.put("user", "alice");
        sessions.save(login);
        assertTrue(assigns(backend).contains("assign session:" + login.id() + " null->alice"), assigns(backend).toString());
        assertEquals(Set.of(login.id()), idsOf(sessions, "alice"));
    }

    @Test
    void numbersAndBooleansNameAPrincipalAndOtherValuesDoNot() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend);
        loggedIn(sessions, 42);
        loggedIn(sessions, true);
        List<String> warnings = LogCapture.warnings(PrincipalTracking.class, () -> {
            loggedIn(sessions, Map.of("name", "alice"));
            loggedIn(sessions, List.of("alice"));
        });
        assertEquals(1, warnings.size(), "said once: " + warnings);
        assertTrue(warnings.get(0).contains("'user'") && warnings.get(0).contains(ConfigKeys.SESSION_PRINCIPAL_KEY),
                warnings.get(0));
        assertEquals(2, assigns(backend).size(), assigns(backend).toString());
        assertEquals(1, sessions.sessionsOf("42").size());
        assertEquals(1, sessions.sessionsOf("true").size());
    }

    @Test
    void aPrincipalOfUpTo256CharactersIsIndexedAndALongerOrEmptyOneIsNot() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend);
        String longest = "a".repeat(PrincipalTracking.MAX_PRINCIPAL_LENGTH);
        loggedIn(sessions, longest);
        List<String> warnings = LogCapture.warnings(PrincipalTracking.class, () -> {
            loggedIn(sessions, longest + "a");
            loggedIn(sessions, "");
        });
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("text of 257 characters"), warnings.get(0));
        assertEquals(1, assigns(backend).size(), assigns(backend).toString());
        assertEquals(1, sessions.sessionsOf(longest).size());
    }

    @Test
    void anIndexThatCannotBeWrittenEndsTheSessionItWasFor() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend);
        backend.failure = new IllegalStateException("index down");
        backend.failingVerb = "assign";
        Session session = sessions.open(null);
        session.put("user", "alice");
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> sessions.save(session));
        assertEquals("index", error.operation());
        assertEquals(Map.of(), backend.entries, "no session escapes the index");
    }

    @Test
    void aDeleteThatAlsoFailsIsKeptBesideTheIndexFailure() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true) {
            @Override
            public synchronized void delete(String key) {
                throw new IllegalStateException("delete down");
            }
        };
        SessionInterface sessions = engine(backend);
        backend.failure = new IllegalStateException("index down");
        backend.failingVerb = "assign";
        Session session = sessions.open(null);
        session.put("user", "alice");
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> sessions.save(session));
        assertEquals(1, error.getSuppressed().length, "the failed delete is attached");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void revokeAllExceptThenRevokeAll(boolean keptInEntry) {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(keptInEntry);
        SessionInterface sessions = engine(backend);
        String kept = loggedIn(sessions, "alice");
        String second = loggedIn(sessions, "alice");
        String third = loggedIn(sessions, "alice");
        String bobs = loggedIn(sessions, "bob");

        assertEquals(2, sessions.revokeAllExcept("alice", kept));
        assertEquals(Set.of(kept), idsOf(sessions, "alice"));
        assertTrue(sessions.open(second).isNew());
        assertTrue(sessions.open(third).isNew());
        assertEquals(Set.of(second, third), Set.copyOf(revoked));

        assertEquals(1, sessions.revokeAll("alice"));
        assertTrue(sessions.open(kept).isNew());
        assertEquals(Set.of(bobs), idsOf(sessions, "bob"));
        assertEquals(3, revoked.size());
        if (!keptInEntry) {
            assertEquals(Set.of("session:" + bobs), backend.principals.keySet(), "the index beside forgets revoked ones");
        }
    }

    @Test
    void entriesOfAnotherKeyPrefixAreNotThisEnginesSessions() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface other = engine(backend, Map.of(ConfigKeys.SESSION_KEY_PREFIX, "other:"));
        String foreign = loggedIn(other, "alice");
        SessionInterface sessions = engine(backend);
        String own = loggedIn(sessions, "alice");
        assertEquals(Set.of(own), idsOf(sessions, "alice"));
        assertEquals(1, sessions.revokeAll("alice"));
        assertFalse(other.open(foreign).isNew(), "another prefix's session is untouched");
    }

    @Test
    void revokeOneSession() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(false);
        SessionInterface sessions = engine(backend);
        String id = loggedIn(sessions, "alice");
        backend.calls.clear();
        assertTrue(sessions.revoke(id));
        assertEquals(List.of("load session:" + id, "delete session:" + id, "assign session:" + id + " alice->null"),
                backend.calls);
        assertFalse(sessions.revoke(id), "nothing left to revoke");
        assertEquals(List.of(id), revoked);
        assertTrue(sessions.open(id).isNew());
    }

    @Test
    void aRevokedSessionsRequestInFlightDoesNotStoreItAgain() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend);
        String id = loggedIn(sessions, "alice");
        Session inFlight = sessions.open(id);
        inFlight.put("cart", List.of("apple"));
        assertTrue(sessions.revoke(id));
        assertNull(sessions.save(inFlight).setCookieHeader());
        assertTrue(sessions.open(id).isNew());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "has space and more than forty-three characters!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*"})
    void revokeRefusesWhatIsNotASessionId(String id) {
        SessionInterface sessions = engine(new CountingMemoryBackend.Indexed(true));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> sessions.revoke(id));
        assertTrue(error.getMessage().startsWith("not a session id of this engine"), error.getMessage());
        assertTrue(error.getMessage().length() < 150, "a long input is cut: " + error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sessions.revoke(null));
    }

    @Test
    void aRefusedIdIsQuotedWholeUpToTwelveCharactersAndCutAfter() {
        SessionInterface sessions = engine(new CountingMemoryBackend.Indexed(true));
        IllegalArgumentException twelve = assertThrows(IllegalArgumentException.class, () -> sessions.revoke("abcdefghijkl"));
        assertTrue(twelve.getMessage().endsWith(": 'abcdefghijkl'"), twelve.getMessage());
        IllegalArgumentException thirteen = assertThrows(IllegalArgumentException.class, () -> sessions.revoke("abcdefghijklm"));
        assertTrue(thirteen.getMessage().endsWith(": 'abcdefghijkl...'"), thirteen.getMessage());
    }

    @Test
    void withoutAPrincipalKeyTheIndexIsNotUsedAndAskingForItSaysWhichKeyToSet() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        backend.clock = clock;
        SessionInterface sessions = SessionInterface.create(SessionConfig.builder().clock(clock).build(), backend);
        loggedIn(sessions, "alice");
        assertEquals(List.of(), assigns(backend));
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> sessions.sessionsOf("alice"));
        assertTrue(error.getMessage().contains(ConfigKeys.SESSION_PRINCIPAL_KEY + " is not set"), error.getMessage());
        assertThrows(IllegalStateException.class, () -> sessions.revokeAll("alice"));
    }

    @Test
    void aBackendWithoutAnIndexWarnsAtStartAndNamesItselfAndTheCapabilityWhenAsked() {
        CountingMemoryBackend backend = new CountingMemoryBackend.Versioned();
        List<String> warnings = new ArrayList<>();
        SessionInterface[] sessions = new SessionInterface[1];
        warnings.addAll(LogCapture.warnings(PrincipalTracking.class, () -> sessions[0] = engine(backend)));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("PrincipalIndex"), warnings.get(0));
        loggedIn(sessions[0], "alice");
        SessionCapabilityException error = assertThrows(SessionCapabilityException.class,
                () -> sessions[0].sessionsOf("alice"));
        assertEquals("PrincipalIndex", error.capability());
        assertEquals(backend.getClass().getName(), error.backend());
        assertEquals("list the sessions of a user", error.operation());
        assertTrue(error.getMessage().contains(backend.getClass().getName()), error.getMessage());
        assertThrows(SessionCapabilityException.class, () -> sessions[0].revokeAllExcept("alice", "x"));
    }

    @Test
    void anIndexReadFailureIsTheBackendsFailure() {
        CountingMemoryBackend.Indexed backend = new CountingMemoryBackend.Indexed(true);
        SessionInterface sessions = engine(backend);
        backend.failure = new IllegalStateException("down");
        backend.failingVerb = "entriesOf";
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> sessions.sessionsOf("alice"));
        assertEquals("sessionsOf", error.operation());
    }
}
