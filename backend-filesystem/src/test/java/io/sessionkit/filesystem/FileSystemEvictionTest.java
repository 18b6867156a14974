package io.sessionkit.filesystem;

import io.sessionkit.Session;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What pruning evicts once {@code SESSION_FILE_THRESHOLD} is passed: sessions never used again
 * after the write that created them go first, oldest first, then the others by last use, so a
 * client creating sessions by the thousand cannot log out users who were active a moment ago.
 */
class FileSystemEvictionTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private SessionConfig config(int threshold) {
        return SessionConfig.builder().set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString())
                .set("SESSION_FILE_THRESHOLD", String.valueOf(threshold)).clock(clock).build();
    }

    private FileSystemSessionBackend backend(int threshold) {
        FileSystemSessionBackend backend = (FileSystemSessionBackend) BackendRegistry.load().create(config(threshold));
        opened.add(backend);
        return backend;
    }

    private long sessionFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".session")).count();
        }
    }

    @Test
    @DisplayName("a flood of 200 new sessions through the engine is pruned, never-reused oldest first, and a user active a minute ago keeps the session")
    void floodThroughTheEngineKeepsTheRecentlyUsedSession() throws IOException {
        try (SessionInterface sessions = SessionInterface.create(config(50))) {
            Session user = sessions.open(null);
            user.put("user", "ada");
            String userCookie = FileSystemSessionBackendTest.cookieValue(sessions.save(user));
            clock.advance(Duration.ofMinutes(1));
            Session again = sessions.open(userCookie);
            assertEquals("ada", again.get("user"));
            sessions.save(again);
            clock.advance(Duration.ofMinutes(1));

            List<String> flood = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                clock.advance(Duration.ofSeconds(1));
                Session visitor = sessions.open(null);
                visitor.put("visit", i);
                flood.add(FileSystemSessionBackendTest.cookieValue(sessions.save(visitor)));
            }

            assertTrue(sessionFiles() <= 50, "the directory holds " + sessionFiles() + " session files, past the threshold of 50");
            assertEquals("ada", sessions.open(userCookie).get("user"), "the flood evicted the session of a user active a minute ago");
            for (String oldest : flood.subList(0, 100)) {
                assertTrue(sessions.open(oldest).isNew(), "an old never-reused session outlived newer ones");
            }
            for (String newest : flood.subList(flood.size() - 40, flood.size())) {
                assertEquals(flood.indexOf(newest), (Integer) sessions.open(newest).get("visit", Integer.class),
                        "one of the newest sessions was evicted before older never-reused ones");
            }
        }
    }

    @Test
    @DisplayName("a session read once after its creation (a plain load, no touch) survives 200 blind saves of new sessions")
    void floodOfBlindSavesKeepsASessionReadSinceItsCreation() {
        FileSystemSessionBackend backend = backend(50);
        backend.save("session:user", bytes("ada"), HOUR);
        clock.advance(Duration.ofMinutes(1));
        assertArrayEquals(bytes("ada"), backend.load("session:user"));
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofSeconds(1));
            backend.save("session:flood-" + i, bytes("x"), HOUR);
        }
        assertArrayEquals(bytes("ada"), backend.load("session:user"), "the flood evicted a session in use");
        assertNull(backend.load("session:flood-0"));
        assertNotNull(backend.load("session:flood-199"));
    }

    @Test
    @DisplayName("when only sessions in use are left to evict, the one used longest ago goes first, whatever its expiry")
    void reusedSessionsAreEvictedByLastUse() {
        FileSystemSessionBackend backend = backend(10);
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertTrue(writes.create("session:user-" + i, bytes("user " + i), HOUR));
        }
        // Used in the reverse order of their creation: user-9 longest ago, user-0 last. Plain loads
        // leave each expiry as it was, so expiry and last use disagree.
        for (int i = 9; i >= 0; i--) {
            clock.advance(Duration.ofMinutes(2));
            assertNotNull(writes.loadVersioned("session:user-" + i));
        }
        clock.advance(Duration.ofMinutes(2));
        assertTrue(writes.create("session:newcomer", bytes("new"), HOUR));
        // 11 files past a threshold of 10: down to 9, the newcomer (never reused) and then user-9.
        assertNull(writes.loadVersioned("session:newcomer"), "a never-reused session outlived one in use");
        assertNull(writes.loadVersioned("session:user-9"), "the session used longest ago was kept");
        for (int i = 0; i < 9; i++) {
            assertNotNull(writes.loadVersioned("session:user-" + i), "user-" + i + " was evicted before the one used longest ago");
        }
    }

    @Test
    @DisplayName("a WARN when pruning evicts live sessions: once per ten minutes, naming the directory and never a session")
    void thresholdReachedWarnsOncePerInterval() throws IOException {
        try (LogCapture log = new LogCapture(Logger.getLogger(SessionFilePruning.class.getName()))) {
            FileSystemSessionBackend backend = backend(10);
            for (int i = 0; i < 10; i++) {
                backend.save("session:first-" + i, bytes("x"), HOUR);
            }
            assertEquals(List.of(), log.warnings(), "a warning before the threshold was passed");
            for (int i = 0; i < 30; i++) {
                backend.save("session:flood-" + i, bytes("x"), HOUR);
            }
            assertEquals(1, log.warnings().size(), "several prunings within ten minutes: " + log.warnings());
            String warning = log.warnings().get(0);
            assertTrue(warning.contains(directory.toString()), warning);
            assertTrue(warning.contains("SESSION_FILE_THRESHOLD"), warning);
            assertFalse(warning.matches("(?s).*(first-|flood-|[0-9a-f]{64}).*"), "the warning names a session: " + warning);

            clock.advance(Duration.ofMinutes(10));
            for (int i = 30; i < 40; i++) {
                backend.save("session:flood-" + i, bytes("x"), HOUR);
            }
            assertEquals(2, log.warnings().size(), "no warning ten minutes later: " + log.warnings());
            assertTrue(log.warnings().get(1).contains("14 more times"), log.warnings().get(1));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What a logger writes (through SLF4J to {@code java.util.logging} in these tests), kept out of the build log. */
    static final class LogCapture extends Handler implements AutoCloseable {

        private final Logger logger;
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture(Logger logger) {
            this.logger = logger;
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        List<String> warnings() {
            return records.stream().filter(r -> r.getLevel() == Level.WARNING)
                    .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r)).toList();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(true);
        }
    }
}
