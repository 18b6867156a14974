package io.sessionkit.core;

import io.sessionkit.SessionBackendException;
import io.sessionkit.Session;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Optional store capabilities, handed out by the backend and by the engine. */
class CapabilityTest {

    /** A store that implements its clean-up in a separate, small object, as in-tree stores do. */
    static final class StoreWithCleanup extends CountingMemoryBackend {
        final ExpiredSessionCleanup cleanup = () -> 7;

        @Override
        public <C> Optional<C> capability(Class<C> type) {
            return type == ExpiredSessionCleanup.class ? Optional.of(type.cast(cleanup)) : super.capability(type);
        }
    }

    @Test
    void byDefaultABackendHasTheCapabilitiesItImplements() {
        SessionBackend plain = new CountingMemoryBackend();
        SessionBackend touching = new CountingMemoryBackend.Touching();
        assertEquals(Optional.empty(), plain.capability(TouchingLoad.class));
        assertSame(touching, touching.capability(TouchingLoad.class).orElseThrow());
        assertEquals(Optional.empty(), touching.capability(ExpiredSessionCleanup.class));
    }

    @Test
    void theEngineHandsOutTheBackendsCapabilities() {
        StoreWithCleanup backend = new StoreWithCleanup();
        try (SessionInterface sessions = SessionInterface.create(SessionConfig.builder().build(), backend)) {
            assertEquals(7, sessions.capability(ExpiredSessionCleanup.class).orElseThrow().deleteExpired());
            assertEquals(Optional.empty(), sessions.capability(TouchingLoad.class));
        }
    }

    @Test
    void aTouchingLoadCapabilityInASeparateObjectIsUsed() {
        CountingMemoryBackend.Touching touching = new CountingMemoryBackend.Touching();
        CountingMemoryBackend backend = new CountingMemoryBackend() {
            @Override
            public <C> Optional<C> capability(Class<C> type) {
                return type == TouchingLoad.class ? Optional.of(type.cast(touching)) : Optional.empty();
            }
        };
        SessionInterface sessions = SessionInterface.create(SessionConfig.builder().build(), backend);
        Session session = sessions.open(null);
        session.put("user", "ada");
        sessions.save(session);
        touching.entries.putAll(backend.entries);
        Session again = sessions.open(session.id());
        assertEquals("ada", again.get("user"));
        assertTrue(touching.calls.stream().anyMatch(call -> call.startsWith("loadAndTouch ")), touching.calls.toString());
    }

    @Test
    void failuresOfAStoreCreatedFromTheConfigurationNameItsType() {
        try (SessionInterface sessions = SessionInterface.create(SessionConfig.builder().set("SESSION_TYPE", "memory").build())) {
            assertEquals("memory", sessions.backendName());
            CountingMemoryBackend backend = sessions.capability(CountingMemoryBackend.class).orElseThrow();
            backend.failure = new IllegalStateException("down");
            Session session = sessions.open(new SessionIds(32).newId());
            SessionBackendException error = assertThrows(SessionBackendException.class, session::isEmpty);
            assertEquals("memory", error.backendType());
            assertTrue(error.getMessage().startsWith("session backend 'memory' failed to load: "), error.getMessage());
            backend.failure = null;
        }
    }
}
