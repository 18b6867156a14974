package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionConflictException;
import io.sessionkit.SessionLockTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Concurrent requests of one session never lose each other's changes on a backend with conditional writes. */
class LostUpdateTest {

    private final CountingMemoryBackend.Versioned backend = new CountingMemoryBackend.Versioned();

    private SessionInterface engine(Map<String, ?> settings) {
        return SessionInterface.create(SessionConfig.builder().fromMap(settings).build(), backend);
    }

    private final SessionInterface sessions = engine(Map.of());

    private String storedSession(SessionInterface engine) {
        Session session = engine.open(null);
        session.put("user", "ada");
        engine.save(session);
        return session.id();
    }

    private Map<String, Object> stored(SessionInterface engine, String id) {
        Session session = engine.open(id);
        assertFalse(session.isNew(), "the session is stored");
        return Map.copyOf(session);
    }

    @Nested
    @DisplayName("merging concurrent changes")
    class Merging {

        @Test
        void sixteenConcurrentRequestsSettingTheirOwnKeysKeepAllSixteen() throws Exception {
            String id = storedSession(sessions);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                CountDownLatch allLoaded = new CountDownLatch(16);
                List<Future<?>> requests = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String key = "key-" + i;
                    requests.add(pool.submit(() -> {
                        Session session = sessions.open(id);
                        session.size(); // every request reads the same version before any saves
                        allLoaded.countDown();
                        assertTrue(allLoaded.await(10, TimeUnit.SECONDS));
                        session.put(key, key);
                        sessions.save(session);
                        return null;
                    }));
                }
                for (Future<?> request : requests) {
                    request.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Map<String, Object> result = stored(sessions, id);
            assertEquals(17, result.size(), "user and the sixteen keys: " + result.keySet());
            for (int i = 0; i < 16; i++) {
                assertEquals("key-" + i, result.get("key-" + i));
            }
        }

        @Test
        void removalsAndFlagsOfTheLaterSaveApplyOnTopOfTheEarlierOne() {
            String id = storedSession(sessions);
            Session first = sessions.open(id);
            Session second = sessions.open(id);
            first.put("theme", "dark");
            second.remove("user");
            second.setPermanent(false);
            second.setMaxInactiveInterval(Duration.ofMinutes(5));
            first.size();
            sessions.save(first);
            sessions.save(second);
            Session result = sessions.open(id);
            assertEquals(Map.of("theme", "dark"), Map.copyOf(result));
            assertFalse(result.isPermanent());
            assertEquals(Duration.ofMinutes(5), result.maxInactiveInterval().orElseThrow());
        }

        @Test
        void aSaveWithoutConflictCostsOneConditionalReplace() {
            String id = storedSession(sessions);
            backend.calls.clear();
            Session session = sessions.open(id);
            session.put("theme", "dark");
            sessions.save(session);
            assertEquals(List.of("loadVersionedAndTouch session:" + id, "replace session:" + id), backend.calls);
        }

        @Test
        void aNewSessionIsCreatedOnlyIfItsIdIsFree() {
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session);
            assertEquals(List.of("create session:" + session.id()), backend.calls);
        }

        @Test
        void theStoredRecordCountsItsSaves() {
            String id = storedSession(sessions);
            for (int i = 0; i < 3; i++) {
                Session session = sessions.open(id);
                session.put("n", i);
                sessions.save(session);
            }
            assertEquals(4, new JsonSessionSerializer().deserialize(backend.entries.get("session:" + id)).version());
        }
    }

    @Nested
    @DisplayName("no resurrection")
    class NoResurrection {

        @Test
        void aSlowRequestSavingAfterALogoutDoesNotBringTheSessionBack() {
            String id = storedSession(sessions);
            Session slow = sessions.open(id);
            slow.put("cart", List.of("apple"));
            Session logout = sessions.open(id);
            logout.invalidate();
            sessions.save(logout);
            SaveResult result = sessions.save(slow);
            assertNull(result.setCookieHeader(), "no cookie revives the ended session");
            assertTrue(sessions.open(id).isNew(), "the session stays gone");
            assertFalse(backend.entries.containsKey("session:" + id));
        }

        @Test
        void aRegeneratedSessionsOldIdIsNotRecreated() {
            String id = storedSession(sessions);
            Session slow = sessions.open(id);
            slow.put("theme", "dark");
            Session login = sessions.open(id);
            login.regenerate();
            sessions.save(login);
            sessions.save(slow);
            assertFalse(backend.entries.containsKey("session:" + id));
            assertEquals("ada", sessions.open(login.id()).get("user"));
        }

        @Test
        void emptyingASessionThatAnotherRequestAddedToKeepsTheOtherRequestsAttribute() {
            String id = storedSession(sessions);
            Session emptying = sessions.open(id);
            emptying.remove("user");
            Session adding = sessions.open(id);
            adding.put("theme", "dark");
            sessions.save(adding);
            SaveResult result = sessions.save(emptying);
            assertNull(result.setCookieHeader(), "the cookie is not deleted: the session lives on");
            assertEquals(Map.of("theme", "dark"), stored(sessions, id));
        }

        @Test
        void invalidatingANewSessionAfterItsFirstSaveAndSavingAgainDeletesIt() {
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session); // a binding saves at the response's first commit point
            String id = session.id();
            session.invalidate(); // the application logs out after that point
            sessions.save(session);
            assertFalse(backend.entries.containsKey("session:" + id), "the first save's record is deleted");
            assertTrue(backend.entries.isEmpty(), backend.entries.keySet().toString());
        }

        @Test
        void invalidatingALoadedSessionAfterItsSaveAndSavingAgainDeletesIt() {
            String id = storedSession(sessions);
            Session session = sessions.open(id);
            session.put("theme", "dark");
            sessions.save(session);
            session.invalidate();
            sessions.save(session);
            assertTrue(backend.entries.isEmpty(), backend.entries.keySet().toString());
        }

        @Test
        void invalidatingARegeneratedSessionAfterItsSaveAndSavingAgainDeletesBothIds() {
            String id = storedSession(sessions);
            Session session = sessions.open(id);
            session.regenerate();
            sessions.save(session);
            assertFalse(backend.entries.containsKey("session:" + id));
            String newId = session.id();
            assertTrue(backend.entries.containsKey("session:" + newId));
            backend.calls.clear();
            session.invalidate();
            sessions.save(session);
            assertTrue(backend.entries.isEmpty(), backend.entries.keySet().toString());
            assertEquals(List.of("delete session:" + newId), backend.calls, "the old id, deleted by the first save, is not deleted twice");
        }

        @Test
        void emptyingAnUnchangedSessionDeletesIt() {
            String id = storedSession(sessions);
            Session emptying = sessions.open(id);
            emptying.clear();
            SaveResult result = sessions.save(emptying);
            assertTrue(result.setCookieHeader().contains("Max-Age=0"), result.setCookieHeader());
            assertFalse(backend.entries.containsKey("session:" + id));
        }
    }

    @Nested
    @DisplayName("SESSION_CONFLICT")
    class ConflictPolicy {

        @Test
        void lastWriterWinsByDefaultOnTheSameAttribute() {
            String id = storedSession(sessions);
            Session first = sessions.open(id);
            Session second = sessions.open(id);
            first.put("count", ((Number) first.getOrDefault("count", 0)).intValue() + 1);
            second.put("count", ((Number) second.getOrDefault("count", 0)).intValue() + 10);
            sessions.save(first);
            sessions.save(second);
            assertEquals(10, sessions.open(id).get("count"));
        }

        @Test
        void failRefusesAReadThenWrittenAttributeThatAnotherRequestChanged() {
            SessionInterface strict = engine(Map.of("SESSION_CONFLICT", "fail"));
            String id = storedSession(strict);
            Session first = strict.open(id);
            Session second = strict.open(id);
            first.put("user", first.get("user") + " lovelace");
            second.put("user", second.get("user") + " byron");
            strict.save(first);
            SessionConflictException error = assertThrows(SessionConflictException.class, () -> strict.save(second));
            assertEquals(Set.of("user"), error.keys());
            assertEquals("ada lovelace", strict.open(id).get("user"), "nothing of the refused save was stored");
        }

        @Test
        void failStillMergesBlindWritesAndDifferentAttributes() {
            SessionInterface strict = engine(Map.of("SESSION_CONFLICT", "fail"));
            String id = storedSession(strict);
            Session first = strict.open(id);
            Session second = strict.open(id);
            first.put("user", "grace");
            second.put("user", "alan"); // written without being read: no one's read is invalidated
            second.put("theme", "dark");
            strict.save(first);
            strict.save(second);
            assertEquals(Map.of("user", "alan", "theme", "dark"), stored(strict, id));
        }

        @Test
        void failNeedsABackendThatCanTellAConflict() {
            SessionConfigException error = assertThrows(SessionConfigException.class, () -> SessionInterface.create(
                    SessionConfig.builder().set("SESSION_CONFLICT", "fail").build(), new CountingMemoryBackend()));
            assertTrue(error.getMessage().contains("SESSION_CONFLICT is 'fail' but the backend"), error.getMessage());
        }

        @Test
        void anUnknownPolicyIsNamed() {
            SessionConfigException error = assertThrows(SessionConfigException.class,
                    () -> SessionConfig.builder().set("SESSION_CONFLICT", "merge").build());
            assertTrue(error.getMessage().contains("SESSION_CONFLICT was 'merge' but it must be one of last-writer-wins, fail"),
                    error.getMessage());
        }
    }

    @Nested
    @DisplayName("SESSION_LOCKING")
    class Locking {

        private final SessionInterface locking = engine(Map.of("SESSION_LOCKING", "true", "SESSION_LOCK_TIMEOUT", "PT0.2S"));

        @Test
        void theLockIsTakenAtFirstUseAndReleasedAfterTheSave() {
            String id = storedSession(locking);
            Session session = locking.open(id);
            assertFalse(backend.locks.containsKey("session:" + id), "opening takes no lock");
            session.get("user");
            assertTrue(backend.locks.containsKey("session:" + id));
            locking.save(session);
            assertFalse(backend.locks.containsKey("session:" + id));
        }

        @Test
        void aSecondRequestWaitsAndGivesUpAfterTheTimeout() {
            String id = storedSession(locking);
            Session holder = locking.open(id);
            holder.get("user");
            Session waiting = locking.open(id);
            SessionLockTimeoutException error = assertThrows(SessionLockTimeoutException.class, waiting::isEmpty);
            assertTrue(error.waited().compareTo(Duration.ofMillis(200)) >= 0, error.waited().toString());
            assertTrue(error.getMessage().contains("SESSION_LOCK_TIMEOUT=PT0.2S"), error.getMessage());
            locking.save(holder);
            assertEquals("ada", locking.open(id).get("user"), "free again once the holder saved");
        }

        @Test
        void readModifyWriteOfOneAttributeIsSerialised() throws Exception {
            SessionInterface patient = engine(Map.of("SESSION_LOCKING", "true"));
            String id = storedSession(patient);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> adds = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    adds.add(pool.submit(() -> {
                        Session session = patient.open(id);
                        int count = ((Number) session.getOrDefault("count", 0)).intValue();
                        session.put("count", count + 1);
                        patient.save(session);
                        return null;
                    }));
                }
                for (Future<?> add : adds) {
                    add.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(40, patient.open(id).get("count"));
        }

        @Test
        void invalidatingALockedSessionReleasesItsLock() {
            String id = storedSession(locking);
            Session logout = locking.open(id);
            logout.get("user");
            assertTrue(backend.locks.containsKey("session:" + id));
            logout.invalidate();
            locking.save(logout);
            assertFalse(backend.locks.containsKey("session:" + id), "released with the token it was taken with");
            assertTrue(locking.open(id).isNew(), "the next request with the old cookie does not wait for the lease");
        }

        @Test
        void releaseFreesTheLockOfARequestThatDoesNotSave() {
            String id = storedSession(locking);
            Session session = locking.open(id);
            session.get("user");
            locking.release(session);
            locking.release(session);
            assertFalse(backend.locks.containsKey("session:" + id));
            assertEquals(1, backend.callsStartingWith("unlock").size(), "released once");
        }

        @Test
        void anUnknownIdHoldsNoLock() {
            Session session = locking.open(new SessionIds(32).newId());
            assertTrue(session.isNew());
            assertTrue(backend.locks.isEmpty());
        }

        @Test
        void requestsThatNeverUseTheSessionTakeNoLock() {
            String id = storedSession(locking);
            backend.calls.clear();
            locking.save(locking.open(id));
            assertEquals(List.of(), backend.calls);
        }

        @Test
        void aRequestOpenedWithoutLockReadsWhileTheLockIsHeldAndItsChangeIsMerged() {
            String id = storedSession(locking);
            Session holder = locking.open(id);
            holder.put("theme", "dark");
            Session reader = locking.openWithoutLock(List.of(id));
            assertEquals("ada", reader.get("user"), "no wait for the holder's lock");
            reader.put("seen", true);
            locking.save(reader);
            locking.save(holder);
            assertTrue(backend.locks.isEmpty(), "the holder released its lock; the reader took none");
            assertEquals(Map.of("user", "ada", "theme", "dark", "seen", true), stored(locking, id));
        }

        @Test
        void withoutSessionLockingOpenWithoutLockIsAnOrdinaryOpen() {
            String id = storedSession(sessions);
            backend.calls.clear();
            assertEquals("ada", sessions.openWithoutLock(List.of(id)).get("user"));
            assertEquals(List.of("loadVersionedAndTouch session:" + id), backend.calls);
        }

        @Test
        void lockingNeedsABackendWithLocks() {
            SessionConfigException error = assertThrows(SessionConfigException.class, () -> SessionInterface.create(
                    SessionConfig.builder().set("SESSION_LOCKING", "true").build(), new CountingMemoryBackend()));
            assertTrue(error.getMessage().contains("SESSION_LOCKING is true but the backend '" + CountingMemoryBackend.class.getName()
                    + "' has no session locks"), error.getMessage());
        }
    }
}
