package io.sessionkit.nullbackend;

import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.SessionException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class NullSessionBackendTest {

    private final SessionInterface sessions =
            SessionInterface.create(SessionConfig.builder().set(ConfigKeys.SESSION_TYPE, "null").build());

    @Test
    void sessionsLoadEmptyAndReadingNeedsNoBackend() {
        Session session = sessions.open(null);
        assertTrue(session.isEmpty());
        assertNull(session.get("user"));
        SaveResult result = sessions.save(session);
        assertTrue(result.vary());
        assertNull(result.setCookieHeader(), "an unmodified empty session sets no cookie");
    }

    @Test
    void savingDataFailsNamingTheInstalledBackends() {
        Session session = sessions.open(null);
        session.put("user", "ada");
        SessionException error = assertThrows(SessionException.class, () -> sessions.save(session));
        assertTrue(error.getMessage().contains("SESSION_TYPE is 'null'"), error.getMessage());
        assertTrue(error.getMessage().contains("null (" + NullSessionBackendProvider.class.getName() + ")"), error.getMessage());
    }

    @Test
    void touchAndDeleteDoNothing() {
        NullSessionBackend backend = new NullSessionBackend("none");
        backend.touch("session:x", Duration.ofMinutes(1));
        backend.delete("session:x");
        assertNull(backend.load("session:x"));
    }

    @Test
    void providerIsFoundByItsTypeAndItsBackendOffersOnlyConditionalWrites() {
        try (SessionBackend backend = BackendRegistry.load()
                .create(SessionConfig.builder().set(ConfigKeys.SESSION_TYPE, NullSessionBackendProvider.TYPE).build())) {
            assertInstanceOf(NullSessionBackend.class, backend);
            assertEquals(Optional.empty(), backend.capability(TouchingLoad.class));
            assertEquals(Optional.empty(), backend.capability(ExpiredSessionCleanup.class));
            assertEquals(Optional.empty(), backend.capability(SessionLocks.class));
            assertSame(backend, backend.capability(ConditionalWrites.class).orElseThrow());
        }
    }

    @Test
    void conditionalWritesFindNothingAndRefuseEveryWrite() {
        NullSessionBackend backend = new NullSessionBackend("none");
        assertNull(backend.loadVersioned("session:x"));
        assertNull(backend.loadVersionedAndTouch("session:x", Duration.ofMinutes(1)));
        assertFalse(backend.delete("session:x", 1));
        byte[] data = {1};
        assertTrue(assertThrows(SessionException.class, () -> backend.create("session:x", data, Duration.ofMinutes(1)))
                .getMessage().startsWith("No session backend is configured"));
        assertThrows(SessionException.class, () -> backend.replace("session:x", 1, data, Duration.ofMinutes(1)));
    }
}
