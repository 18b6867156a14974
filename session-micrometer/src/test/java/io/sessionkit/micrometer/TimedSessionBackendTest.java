package io.sessionkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The five operations of the backend SPI, called on the timed filesystem backend directly (the
 * engine on the filesystem uses its conditional writes instead): each call is one timing with its
 * outcome, and what the backend does is unchanged.
 */
class TimedSessionBackendTest {

    @TempDir
    Path directory;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SessionBackend timed;

    @BeforeEach
    void open() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "filesystem")
                .set("SESSION_FILE_DIR", directory.toString()).build();
        timed = new TimedSessionBackend(BackendRegistry.load().create(config), registry, "filesystem");
    }

    @AfterEach
    void close() {
        timed.close();
    }

    private Timer timer(String operation, String outcome) {
        return registry.get(MeterNames.BACKEND_OPERATION).tags(MeterNames.TYPE_TAG, "filesystem",
                MeterNames.OPERATION_TAG, operation, MeterNames.OUTCOME_TAG, outcome).timer();
    }

    @Test
    void eachOperationIsTimedWithItsOutcome() {
        byte[] value = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertNull(timed.load("session:k"));
        timed.save("session:k", value, Duration.ofMinutes(5));
        assertArrayEquals(value, timed.load("session:k"));
        timed.touch("session:k", Duration.ofMinutes(10));
        timed.delete("session:k");
        assertNull(timed.load("session:k"));

        assertEquals(2, timer("load", "absent").count());
        assertEquals(1, timer("load", "success").count());
        assertEquals(1, timer("save", "success").count());
        assertEquals(1, timer("touch", "success").count());
        assertEquals(1, timer("delete", "success").count());
        assertTrue(timer("save", "success").totalTime(TimeUnit.NANOSECONDS) > 0);
        assertEquals(6, registry.get(MeterNames.BACKEND_OPERATION).timers().stream().mapToLong(Timer::count).sum());
    }

    @Test
    void eachOperationOfAClosedBackendIsAnError() {
        timed.close();
        assertThrows(SessionBackendException.class, () -> timed.load("session:k"));
        assertThrows(SessionBackendException.class, () -> timed.save("session:k", new byte[] {1}, Duration.ofMinutes(1)));
        assertThrows(SessionBackendException.class, () -> timed.touch("session:k", Duration.ofMinutes(1)));
        assertThrows(SessionBackendException.class, () -> timed.delete("session:k"));
        for (String operation : new String[] {"load", "save", "touch", "delete"}) {
            assertEquals(1, timer(operation, "error").count(), operation);
        }
    }

    @Test
    void aCapabilityFailureIsAnErrorAndTheBackendsExceptionReachesTheCaller() {
        SessionLocks locks = timed.capability(SessionLocks.class).orElseThrow();
        timed.close();
        SessionBackendException thrown = assertThrows(SessionBackendException.class,
                () -> locks.tryLock("session:k", "token", Duration.ofSeconds(1)));
        assertNotNull(thrown.getMessage());
        assertEquals(1, timer("tryLock", "error").count());
    }

    @Test
    void aCapabilityTheBackendLacksIsAbsent() {
        assertTrue(timed.capability(Runnable.class).isEmpty());
        assertTrue(timed.toString().startsWith("timed "), timed.toString());
    }
}
