package io.sessionkit.filesystem;

import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class FileSystemSessionBackendTest {

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private SessionConfig.Builder config() {
        return SessionConfig.builder().set("SESSION_TYPE", "filesystem").set("SESSION_FILE_DIR", directory.toString()).clock(clock);
    }

    private FileSystemSessionBackend backend(SessionConfig.Builder config) {
        return (FileSystemSessionBackend) BackendRegistry.load().create(config.build());
    }

    private List<Path> sessionFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".session")).toList();
        }
    }

    @Test
    void filesAreOwnerOnlyByDefaultAndNamedByHashNotByKey() throws IOException {
        FileSystemSessionBackend backend = backend(config());
        backend.save("session:../../etc/passwd", "x".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));
        List<Path> files = sessionFiles();
        assertEquals(1, files.size());
        Path file = files.get(0);
        assertEquals(directory, file.getParent(), "the file stays inside SESSION_FILE_DIR");
        assertTrue(file.getFileName().toString().matches("[0-9a-f]{64}\\.session"), file.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void fileModeIsConfigurable() throws IOException {
        FileSystemSessionBackend backend = backend(config().set("SESSION_FILE_MODE", "0640"));
        backend.save("session:a", new byte[]{1}, Duration.ofHours(1));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessionFiles().get(0))));
    }

    @Test
    void fileModeHoldsWhereTheUmaskWouldNarrowIt() throws IOException {
        // Under the usual umask 022, a file created with 0666 gets 0644: the store must set the mode again.
        FileSystemSessionBackend backend = backend(config().set("SESSION_FILE_MODE", "0666"));
        backend.save("session:a", new byte[]{1}, Duration.ofHours(1));
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessionFiles().get(0))));
        backend.save("session:a", new byte[]{2}, Duration.ofHours(1));
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessionFiles().get(0))));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList(),
                    "the start-up probe of the umask left its file behind");
        }
    }

    @Test
    void anEmptyValueIsWrittenWithItsHeader() throws IOException {
        FileSystemSessionBackend backend = backend(config());
        backend.save("session:empty", new byte[0], Duration.ofHours(1));
        assertArrayEquals(new byte[0], backend.load("session:empty"));
        // Only a file whose header names its key is counted.
        assertEquals(1, backend.capability(SessionListing.class).orElseThrow().count("session:"));
        assertEquals(SessionFileFormat.header("session:empty", null, Duration.ofHours(1)).length, Files.size(sessionFiles().get(0)));
    }

    @Test
    void unwritableDirectoryFailsAtStartNamingTheKey() throws IOException {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> backend(config().set("SESSION_FILE_DIR", file.resolve("sessions").toString())));
        assertTrue(error.getMessage().contains("SESSION_FILE_DIR was '" + file.resolve("sessions") + "'"), error.getMessage());
        assertTrue(error.getMessage().contains("cannot be created or written"), error.getMessage());
    }

    @Test
    void missingDirectoryIsCreatedOwnerOnly() throws IOException {
        Path nested = directory.resolve("a/b/sessions");
        backend(config().set("SESSION_FILE_DIR", nested.toString()));
        assertTrue(Files.isDirectory(nested));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
    }

    @Test
    void touchRewritesNoPayloadAndCannotReviveAnExpiredFile() throws IOException {
        FileSystemSessionBackend backend = backend(config());
        backend.save("session:k", "payload".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(10));
        Path file = backend.fileFor("session:k");
        Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        backend.touch("session:k", Duration.ofMinutes(10));
        assertEquals(inode, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "touch replaced the file instead of updating its expiry");
        clock.advance(Duration.ofMinutes(11));
        backend.touch("session:k", Duration.ofMinutes(10));
        assertNull(backend.load("session:k"));
    }

    @Test
    void pruningRemovesExpiredFilesFirstThenTheLeastRecentlyUsed() throws IOException {
        FileSystemSessionBackend backend = backend(config().set("SESSION_FILE_THRESHOLD", "10"));
        backend.save("session:expired-1", new byte[]{1}, Duration.ofMinutes(1));
        backend.save("session:expired-2", new byte[]{1}, Duration.ofMinutes(1));
        for (int i = 0; i < 8; i++) {
            backend.save("session:live-" + i, new byte[]{1}, Duration.ofHours(1).plusMinutes(i));
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(10, sessionFiles().size(), "at the threshold nothing is pruned");
        clock.advance(Duration.ofMinutes(2));
        backend.save("session:live-8", new byte[]{1}, Duration.ofHours(2));
        // 11 files > 10: both expired go, then the least recently used live ones down to 9
        assertEquals(9, sessionFiles().size());
        assertNull(backend.load("session:expired-1"));
        assertNotNull(backend.load("session:live-8"), "the newest session survives pruning");
        backend.save("session:live-9", new byte[]{1}, Duration.ofHours(2));
        backend.save("session:live-10", new byte[]{1}, Duration.ofHours(2));
        assertEquals(9, sessionFiles().size(), "crossing the threshold again prunes to 90% again");
        assertNull(backend.load("session:live-0"), "the oldest never-reused session went first");
        assertNotNull(backend.load("session:live-10"));
    }

    @Test
    void abandonedTemporaryFilesAreCleanedByPruning() throws IOException {
        Path abandoned = Files.writeString(directory.resolve(".tmp-crashed"), "partial");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        FileSystemSessionBackend backend = backend(config());
        backend.prune();
        assertFalse(Files.exists(abandoned));
    }

    @Test
    void corruptSessionFileGivesAFreshSession() throws IOException {
        try (SessionInterface sessions = SessionInterface.create(config().build())) {
            Session first = sessions.open(null);
            first.put("user", "ada");
            String cookie = cookieValue(sessions.save(first));
            FileSystemSessionBackend backend = backend(config());
            Files.writeString(backend.fileFor("session:" + cookie), "{not json", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(backend.fileFor("session:" + cookie),
                    java.nio.file.attribute.FileTime.from(clock.instant().plus(Duration.ofDays(1))));

            Session second = sessions.open(cookie);
            assertTrue(second.isNew());
            assertTrue(second.isEmpty());
            assertNotEquals(cookie, second.id(), "a fresh session never adopts the client's id");
        }
    }

    @Test
    void sessionsSurviveANewBackendOnTheSameDirectory() {
        String cookie;
        try (SessionInterface sessions = SessionInterface.create(config().build())) {
            Session session = sessions.open(null);
            session.put("cart", List.of("apple", "pear"));
            cookie = cookieValue(sessions.save(session));
        }
        try (SessionInterface restarted = SessionInterface.create(config().build())) {
            assertEquals(List.of("apple", "pear"), restarted.open(cookie).get("cart"));
        }
    }

    @Test
    void theEngineHandsOutTheCleanupAndItDeletesOnlyExpiredSessionFiles() throws IOException {
        try (SessionInterface sessions = SessionInterface.create(config().build())) {
            String older = storeSession(sessions, "older");
            clock.advance(Duration.ofDays(20));
            String newer = storeSession(sessions, "newer");
            // 35 days after the first save: past the default lifetime of 31 days for it, 15 days old for the other.
            clock.advance(Duration.ofDays(15));
            FileSystemSessionBackend backend = backend(config());
            Path abandoned = Files.writeString(directory.resolve(".tmp-crashed"), "partial");
            Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            assertTrue(Files.exists(backend.fileFor("session:" + older)), "the expired file should still be there");

            ExpiredSessionCleanup cleanup = sessions.capability(ExpiredSessionCleanup.class).orElseThrow();
            assertEquals(1, cleanup.deleteExpired());
            assertFalse(Files.exists(backend.fileFor("session:" + older)), "the expired session's file is still there");
            assertEquals(List.of(backend.fileFor("session:" + newer)), sessionFiles(), "the live session's file was deleted");
            assertFalse(Files.exists(abandoned), "the crashed writer's temporary file is still there");
            assertEquals("newer", sessions.open(newer).get("who"));
            assertEquals(0, cleanup.deleteExpired());
        }
    }

    private static String storeSession(SessionInterface sessions, String who) {
        Session session = sessions.open(null);
        session.put("who", who);
        return cookieValue(sessions.save(session));
    }

    @Test
    void everyKeyOfTheStoreIsRead() {
        SessionConfig config = config().set("SESSION_FILE_THRESHOLD", "100").set("SESSION_FILE_MODE", "0640").build();
        try (SessionInterface sessions = SessionInterface.create(config)) {
            assertEquals("filesystem", sessions.backendName());
        }
        assertEquals(Map.of(), config.unreadKeys());
    }

    static String cookieValue(SaveResult result) {
        String header = result.setCookieHeader();
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }
}
