package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.*;

/** Session events reach listeners after the backend did what they report, and a failing listener fails nothing. */
class SessionListenerTest {

    private final CountingMemoryBackend backend = new CountingMemoryBackend.Versioned();
    private final List<String> heard = new ArrayList<>();

    /** Records each event with whether the backend held the session's record when it was heard. */
    private final SessionListener recorder = new SessionListener() {
        @Override
        public void created(Session session) {
            heard.add("created " + session.id() + stored(session.id()));
        }

        @Override
        public void idChanged(Session session, String previousId) {
            heard.add("idChanged " + previousId + " -> " + session.id() + stored(session.id()) + stored(previousId));
        }

        @Override
        public void invalidated(String id) {
            heard.add("invalidated " + id + stored(id));
        }
    };

    private final SessionInterface sessions = withListeners(recorder);

    private SessionInterface withListeners(SessionListener... listeners) {
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(), backend);
        for (SessionListener listener : listeners) {
            engine.addListener(listener);
        }
        return engine;
    }

    private String stored(String id) {
        return backend.entries.containsKey("session:" + id) ? " (stored)" : " (gone)";
    }

    private String storedSession() {
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        heard.clear();
        return session.id();
    }

    @Test
    void aNewSessionIsAnnouncedOnceWhenFirstStored() {
        Session session = sessions.open(null);
        session.get("user");
        sessions.save(session);
        assertEquals(List.of(), heard, "an empty session is never stored");

        session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        assertEquals(List.of("created " + session.id() + " (stored)"), heard);

        Session next = sessions.open(session.id());
        next.put("theme", "dark");
        sessions.save(next);
        assertEquals(1, heard.size(), "a later change is no creation: " + heard);
    }

    @Test
    void aRegenerationIsAnnouncedWithBothIdsOnceTheOldRecordIsGone() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.regenerate();
        session.regenerate();
        sessions.save(session);
        assertEquals(List.of("idChanged " + id + " -> " + session.id() + " (stored) (gone)"), heard);
    }

    @Test
    void anInvalidatedOrEmptiedSessionIsAnnouncedOnceItsRecordIsGone() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.invalidate();
        sessions.save(session);
        assertEquals(List.of("invalidated " + id + " (gone)"), heard);

        heard.clear();
        String other = storedSession();
        Session emptied = sessions.open(other);
        emptied.remove("user");
        sessions.save(emptied);
        assertEquals(List.of("invalidated " + other + " (gone)"), heard);
    }

    @Test
    void aSessionInvalidatedThenUsedAgainIsTwoEvents() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.regenerate();
        session.invalidate();
        session.put("user", "grace");
        sessions.save(session);
        assertEquals(List.of("invalidated " + id + " (gone)", "created " + session.id() + " (stored)"), heard);
    }

    @Test
    void aSecondSaveOfTheSameRequestAnnouncesOnlyWhatIsNew() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.regenerate();
        sessions.save(session);
        String newId = session.id();
        session.invalidate();
        sessions.save(session);
        assertEquals(List.of("idChanged " + id + " -> " + newId + " (stored) (gone)", "invalidated " + newId + " (gone)"), heard,
                "the id it was renamed from was announced once, with the rename");

        heard.clear();
        String other = storedSession();
        Session reused = sessions.open(other);
        reused.invalidate();
        reused.put("user", "grace");
        sessions.save(reused);
        reused.put("theme", "dark");
        sessions.save(reused);
        assertEquals(List.of("invalidated " + other + " (gone)", "created " + reused.id() + " (stored)"), heard);
    }

    @Test
    void anEmptiedSessionInvalidatedAfterItsSaveIsAnnouncedOnce() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.remove("user");
        sessions.save(session);
        session.invalidate();
        sessions.save(session);
        assertEquals(List.of("invalidated " + id + " (gone)"), heard);
    }

    @Test
    void nothingIsAnnouncedWhenTheBackendFails() {
        String id = storedSession();
        Session session = sessions.open(id);
        session.invalidate();
        backend.failure = new IllegalStateException("connection reset");
        assertThrows(SessionBackendException.class, () -> sessions.save(session));
        assertEquals(List.of(), heard);
    }

    @Test
    void aFailingListenerIsLoggedWithoutTheIdAndTheOthersStillHear() {
        SessionListener failing = new SessionListener() {
            @Override
            public void created(Session session) {
                throw new IllegalStateException("listener bug");
            }
        };
        SessionInterface engine = withListeners(failing, recorder);
        Session session = engine.open(null);
        session.put("user", "ada");
        List<String> warnings = LogCapture.warnings(SessionEvents.class, () -> engine.save(session));
        assertEquals(List.of("created " + session.id() + " (stored)"), heard);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("Session listener " + failing.getClass().getName()
                + " failed on 'created' (java.lang.IllegalStateException)"), warnings.get(0));
        assertFalse(warnings.get(0).contains(session.id()));
    }

    /** A backend that can tell which entries expired; the test plays the backend. */
    private static final class ReportingCleanupBackend extends CountingMemoryBackend.Versioned {
        final java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>> deletedTo =
                new java.util.concurrent.atomic.AtomicReference<>();
        final io.sessionkit.spi.ExpiryNotifications notifications =
                expired -> assertNull(deletedTo.getAndSet(expired), "asked once");

        @Override
        public <C> java.util.Optional<C> capability(Class<C> type) {
            return type == io.sessionkit.spi.ExpiryNotifications.class ? java.util.Optional.of(type.cast(notifications))
                    : super.capability(type);
        }
    }

    @Test
    void expiredSessionsAreReportedOnlyOnceSomeoneListens() {
        ReportingCleanupBackend reporting = new ReportingCleanupBackend();
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(), reporting);
        assertNull(reporting.deletedTo.get(), "nobody listens: the clean-up is not asked to tell");
        List<String> expired = new ArrayList<>();
        engine.addListener(new SessionListener() {
            @Override
            public void expired(String id) {
                expired.add(id);
            }
        });
        engine.addListener(new SessionListener() { });
        reporting.deletedTo.get().accept("session:abc");
        reporting.deletedTo.get().accept("other-app:def");
        assertEquals(List.of("abc"), expired, "only this engine's prefix, without it");
    }

    @Test
    void keysKeptBesideASessionAreNotReportedWhenTheyExpire() {
        ReportingCleanupBackend reporting = new ReportingCleanupBackend();
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(), reporting);
        List<String> expired = new ArrayList<>();
        engine.addListener(new SessionListener() {
            @Override
            public void expired(String id) {
                expired.add(id);
            }
        });
        for (String key : List.of("session:abc:lock", "session:~principal:YWxpY2U", "session:abc:saving:0123456789abcdef",
                "session:", "session:a.b", "session:Zz09-_")) {
            reporting.deletedTo.get().accept(key);
        }
        assertEquals(List.of("Zz09-_"), expired, "only a prefix followed by base64url, of any length");
    }

    /** Found through META-INF/services; records into a queue the test reads. */
    public static final class DiscoveredListener implements SessionListener {
        static final Queue<String> HEARD = new ConcurrentLinkedQueue<>();

        @Override
        public void created(Session session) {
            HEARD.add(session.id());
        }
    }

    @Test
    void aRemovedListenerHearsNoMore() {
        sessions.removeListener(recorder);
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        assertEquals(List.of(), heard);
    }

    @Test
    void aListenerFoundAtStartUpHasTheCleanUpAskedToTellAtOnce(@TempDir Path classes) throws Exception {
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve(SessionListener.class.getName()), DiscoveredListener.class.getName() + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            ReportingCleanupBackend reporting = new ReportingCleanupBackend();
            SessionInterface.create(SessionConfig.builder().build(), reporting);
            assertNotNull(reporting.deletedTo.get());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void listenersAreFoundWithTheServiceLoader(@TempDir Path classes) throws Exception {
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve(SessionListener.class.getName()), DiscoveredListener.class.getName() + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(), backend);
            Session session = engine.open(null);
            session.put("user", "ada");
            engine.save(session);
            assertEquals(List.of(session.id()), List.copyOf(DiscoveredListener.HEARD));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
            DiscoveredListener.HEARD.clear();
        }
    }

    @Test
    void aListenerThatCannotBeLoadedStopsTheStartWithItsName(@TempDir Path classes) throws Exception {
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve(SessionListener.class.getName()), "com.example.MissingListener\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            var error = assertThrows(io.sessionkit.SessionConfigException.class,
                    () -> SessionInterface.create(SessionConfig.builder().build(), backend));
            assertTrue(error.getMessage().contains("com.example.MissingListener"), error.getMessage());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
