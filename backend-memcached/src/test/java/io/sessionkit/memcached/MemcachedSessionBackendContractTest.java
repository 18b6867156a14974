package io.sessionkit.memcached;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionCapabilityException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The backend contract against a real memcached server. */
class MemcachedSessionBackendContractTest extends SessionBackendContract {

    private static MemcachedServerProcess server;

    @BeforeAll
    static void startServer() {
        server = MemcachedServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected String type() {
        return "memcached";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_MEMCACHED", server.address());
    }

    @Override
    protected boolean expiresByServerClock() {
        return true;
    }

    /**
     * memcached counts expiry in whole seconds of its own clock, so an item lives between
     * {@code ttl - 1 s} and {@code ttl}: a time to live of 3 s keeps that second well inside the
     * margins of the contract's timing checks.
     */
    @Override
    protected Duration serverClockTimeToLive() {
        return Duration.ofSeconds(3);
    }

    @Nested
    @DisplayName("what memcached cannot do")
    class Absent {

        @Test
        @DisplayName("it keeps no principal index and cannot list: the engine's sessionsOf, count and list say so, naming memcached")
        void noPrincipalIndexNorListing() {
            assertEquals(Optional.empty(), backend().capability(PrincipalIndex.class));
            assertEquals(Optional.empty(), backend().capability(SessionListing.class));
            try (SessionInterface sessions = SessionInterface.create(
                    configBuilder().set(ConfigKeys.SESSION_PRINCIPAL_KEY, "user").build())) {
                assertRefused("PrincipalIndex", () -> sessions.sessionsOf("alice"));
                assertRefused("PrincipalIndex", () -> sessions.revokeAll("alice"));
                assertRefused("SessionListing", sessions::count);
                assertRefused("SessionListing", () -> sessions.list(null, 10));
            }
        }

        private void assertRefused(String capability, Executable call) {
            SessionCapabilityException refused = assertThrows(SessionCapabilityException.class, call);
            assertEquals("memcached", refused.backend());
            assertEquals(capability, refused.capability());
        }
    }
}
