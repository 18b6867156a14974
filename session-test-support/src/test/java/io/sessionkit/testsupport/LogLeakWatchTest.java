package io.sessionkit.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.*;

/** The leak check itself: what it catches, what it lets through, and that a leak fails the test. */
class LogLeakWatchTest {

    private static final Logger LOG = Logger.getLogger(LogLeakWatchTest.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String newId(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private AutoCloseable quiet;

    @BeforeEach
    void keepTheProvokedLinesOutOfTheBuildOutput() {
        LogLeakWatch.install();
        quiet = LogLeakWatch.quiet(LogLeakWatchTest.class);
    }

    @AfterEach
    void forgetTheLeaksProvokedHere() throws Exception {
        quiet.close();
        LogLeakWatch.drainLeaks();
    }

    @Test
    void findsIdsOfEveryLengthTheEngineMakes() {
        int found = 0;
        for (int i = 0; i < 200; i++) {
            String id = newId(32);
            if (LogLeakWatch.leakIn("E11000 duplicate key error collection: test.sessions dup key: { _id: \"session:" + id
                    + "\" }").isPresent()) {
                found++;
            }
        }
        // An id with neither a digit nor - or _ escapes the shape (about 1 in 7,500 at 43 characters).
        assertTrue(found >= 199, found + " of 200");
        assertTrue(LogLeakWatch.leakIn("Duplicate entry 'session:aB3" + "x".repeat(19) + "' for key 'PRIMARY'").isPresent());
        String signed = newId(32) + "." + newId(32);
        assertTrue(LogLeakWatch.leakIn("cookie " + signed).isPresent());
    }

    @Test
    void letsThroughWhatLogLinesNormallyHold() {
        for (String line : List.of(
                "SEVERE io.sessionkit.servlet.SessionKitFilter: GET /count failed: session backend 'redis' failed to load:"
                        + " could not reach redis://127.0.0.1:6379: java.net.SocketTimeoutException: Read timed out",
                "SESSION_REFRESH_EACH_REQUEST is true but SessionLockTimeoutException io.sessionkit.spi.ConditionalWrites",
                "Stored session session:Ab3dEf… could not be decoded; key session:Ab3dEf... and session:Ab3dEf…",
                "request 3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f6a7b8 node 07c37dfeb235213a872192d90877d0cd55635b91 file "
                        + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.session",
                "HikariPool-1 - Connection is not available, request timed out after 1001ms")) {
            assertEquals(java.util.Optional.empty(), LogLeakWatch.leakIn(line), line);
        }
    }

    @Test
    void findsWatchedSecretsAndSessionData() {
        LogLeakWatch.watch("correct horse battery staple");
        assertTrue(LogLeakWatch.leakIn("signing with correct horse battery staple failed").isPresent());
        assertTrue(LogLeakWatch.leakIn("value too long: {\"cart\":\"" + LogLeakWatch.DATA_MARKER + "\"}").isPresent());
        LogLeakWatch.watch("short");
        assertFalse(LogLeakWatch.leakIn("a short line").isPresent(), "too short to watch");
    }

    @Test
    void aLeakingWarningFailsTheTestItWasLoggedIn() {
        LogLeakWatch.install();
        String id = "Zq4" + newId(30);
        LOG.log(Level.WARNING, "could not save session:{0}", id);
        LOG.log(Level.INFO, "info may say anything: " + id); // below WARNING: not this check's business
        AssertionError failure = assertThrows(AssertionError.class, () -> new LogLeakExtension().afterEach(null));
        assertTrue(failure.getMessage().contains("could not save session:" + id), failure.getMessage());
        assertEquals(1, failure.getMessage().lines().count() - 1, "one leaking line: " + failure.getMessage());
        assertDoesNotThrow(() -> new LogLeakExtension().afterEach(null), "reported once");
    }

    @Test
    void aCauseMessageIsCheckedToo() {
        LogLeakWatch.install();
        String id = "Zq4" + newId(30);
        LOG.log(Level.SEVERE, "GET / failed", new IllegalStateException("wrapped",
                new RuntimeException("Key (id)=(session:" + id + ") already exists.")));
        assertThrows(AssertionError.class, () -> new LogLeakExtension().afterAll(null));
    }

    @Test
    void aQuietenedLoggerIsStillWatched() throws Exception {
        Logger quiet = Logger.getLogger(QuietSource.class.getName());
        try (AutoCloseable ignored = LogLeakWatch.quiet(QuietSource.class)) {
            quiet.warning("expected outage for " + LogLeakWatch.DATA_MARKER);
        }
        List<String> leaks = LogLeakWatch.drainLeaks();
        assertEquals(1, leaks.size(), leaks.toString());
        assertTrue(leaks.get(0).startsWith("session data in: WARNING"), leaks.get(0));
    }

    /** Names a logger. */
    private static final class QuietSource {
    }
}
