package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionListener;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendDecorator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the builder takes besides a backend: a decorator the engine then calls instead of the
 * backend, an observer a binding can reach, and listeners that hear from the start.
 */
class EngineBuilderHooksTest {

    /** Delegates to the backend and writes down each call it passes on. */
    static final class Passing implements SessionBackend {
        final SessionBackend backend;
        final String backendName;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Passing(SessionBackend backend, String backendName) {
            this.backend = backend;
            this.backendName = backendName;
        }

        @Override
        public byte[] load(String key) {
            calls.add("load");
            return backend.load(key);
        }

        @Override
        public void save(String key, byte[] value, Duration timeToLive) {
            calls.add("save");
            backend.save(key, value, timeToLive);
        }

        @Override
        public void touch(String key, Duration timeToLive) {
            calls.add("touch");
            backend.touch(key, timeToLive);
        }

        @Override
        public void delete(String key) {
            calls.add("delete");
            backend.delete(key);
        }

        @Override
        public <C> Optional<C> capability(Class<C> type) {
            calls.add("capability " + type.getSimpleName());
            return backend.capability(type);
        }

        @Override
        public void close() {
            calls.add("close");
            backend.close();
        }
    }

    private Passing decorated;
    private final SessionBackendDecorator decorator = (backend, name) -> decorated = new Passing(backend, name);

    @Test
    void theEngineCallsTheDecoratedBackendForEveryOperationAndCapability() {
        CountingMemoryBackend.Touching backend = new CountingMemoryBackend.Touching();
        SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().build()).backend(backend)
                .decorateBackend(decorator).build();
        assertSame(backend, decorated.backend);
        assertEquals(CountingMemoryBackend.Touching.class.getName(), decorated.backendName);
        assertTrue(decorated.calls.contains("capability TouchingLoad"), decorated.calls.toString());
        assertTrue(decorated.calls.contains("capability ConditionalWrites"), decorated.calls.toString());

        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        String id = session.id();
        session.invalidate();
        sessions.save(session);
        sessions.close();
        List<String> operations = decorated.calls.stream().filter(call -> !call.startsWith("capability ")).toList();
        assertEquals(List.of("save", "delete", "close"), operations);
        assertEquals(List.of("save session:" + id, "delete session:" + id, "close"), backend.calls);
    }

    @Test
    void theDecoratorIsToldTheTypeOfABackendTheConfigurationSelected() {
        SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().set("SESSION_TYPE", "memory").build())
                .decorateBackend(decorator).build();
        assertEquals("memory", decorated.backendName);
        assertInstanceOf(CountingMemoryBackend.class, decorated.backend);
        assertEquals("memory", sessions.backendName());
    }

    @Test
    void capabilitiesTheApplicationAsksForComeFromTheDecoratedBackend() {
        CountingMemoryBackend.Versioned backend = new CountingMemoryBackend.Versioned();
        SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().build()).backend(backend)
                .decorateBackend(decorator).build();
        decorated.calls.clear();
        assertSame(backend, sessions.capability(ConditionalWrites.class).orElseThrow());
        assertEquals(List.of("capability ConditionalWrites"), decorated.calls);
    }

    @Test
    void theObserverGivenIsTheOneABindingReaches() {
        SessionEngineObserver observer = new SessionEngineObserver() {
        };
        SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().build())
                .backend(new CountingMemoryBackend()).observer(observer).build();
        assertSame(observer, sessions.observer());
    }

    @Test
    void withoutAnObserverABindingReachesOneThatObservesNothing() {
        SessionInterface sessions = SessionInterface.create(SessionConfig.builder().build(), new CountingMemoryBackend());
        assertSame(SessionEngineObserver.NONE, sessions.observer());
        sessions.observer().answeredUnavailable(); // does nothing, and does not fail
    }

    @Test
    void aListenerGivenToTheBuilderHearsTheFirstSession() {
        List<String> heard = new CopyOnWriteArrayList<>();
        SessionListener listener = new SessionListener() {
            @Override
            public void created(Session session) {
                heard.add("created " + session.id());
            }
        };
        SessionInterface sessions = SessionInterface.builder(SessionConfig.builder().build())
                .backend(new CountingMemoryBackend()).listener(listener).build();
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        assertEquals(List.of("created " + session.id()), heard);
    }

    @Test
    void nullHooksAreRefusedByName() {
        SessionInterface.Builder builder = SessionInterface.builder(SessionConfig.builder().build());
        assertEquals("decorator", assertThrows(NullPointerException.class, () -> builder.decorateBackend(null)).getMessage());
        assertEquals("observer", assertThrows(NullPointerException.class, () -> builder.observer(null)).getMessage());
        assertEquals("listener", assertThrows(NullPointerException.class, () -> builder.listener(null)).getMessage());
    }
}
