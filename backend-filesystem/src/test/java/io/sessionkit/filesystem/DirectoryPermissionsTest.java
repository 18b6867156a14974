package io.sessionkit.filesystem;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import static org.junit.jupiter.api.Assertions.*;

/**
 * At start-up the store refuses a {@code SESSION_FILE_DIR} that another user could write: group-
 * or world-writable, or owned by another user than the one the process runs as. Such a user could
 * plant, replace or read session files.
 */
class DirectoryPermissionsTest {

    /** The user {@code nobody}, who owns nothing of this test. */
    private static final int NOBODY = 65534;

    @TempDir
    Path parent;

    private Path sessionDirectory(String mode) throws IOException {
        Path directory = Files.createDirectory(parent.resolve("sessions"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
        return directory;
    }

    private static SessionBackend open(Path directory) {
        return BackendRegistry.load().create(SessionConfig.builder().set("SESSION_TYPE", "filesystem")
                .set("SESSION_FILE_DIR", directory.toString()).build());
    }

    @Test
    void worldWritableDirectoryIsRefusedNamingTheFix() throws IOException {
        Path directory = sessionDirectory("rwxrwxrwx");
        String message = assertThrows(SessionConfigException.class, () -> open(directory)).getMessage();
        assertTrue(message.contains("SESSION_FILE_DIR was '" + directory + "'"), message);
        assertTrue(message.contains("writable by other users (mode 0777)"), message);
        assertTrue(message.contains("chmod 700 " + directory), message);
        assertFalse(Files.exists(directory.resolve(DirectoryLockFile.NAME)), "the store wrote into the refused directory");
    }

    @Test
    void groupWritableDirectoryIsRefused() throws IOException {
        Path directory = sessionDirectory("rwxrwx---");
        String message = assertThrows(SessionConfigException.class, () -> open(directory)).getMessage();
        assertTrue(message.contains("writable by its group (mode 0770)"), message);
        assertTrue(message.contains("chmod 700 " + directory), message);
    }

    @Test
    void directoryOfAnotherUserIsRefusedNamingBothUsers() throws IOException {
        Path directory = sessionDirectory("rwx------");
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        UserPrincipal self = view.getOwner();
        UserPrincipal nobody = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(String.valueOf(NOBODY));
        view.setOwner(nobody);
        String owner = view.getOwner().getName();
        String message = assertThrows(SessionConfigException.class, () -> open(directory)).getMessage();
        assertTrue(message.contains("SESSION_FILE_DIR was '" + directory + "'"), message);
        assertTrue(message.contains("owned by " + owner + ", not by " + self.getName()), message);
        assertTrue(message.contains("chown " + self.getName() + " " + directory), message);
    }

    @Test
    void bothProblemsAreReportedTogether() throws IOException {
        Path directory = sessionDirectory("rwxrwxrwx");
        Files.getFileAttributeView(directory, PosixFileAttributeView.class)
                .setOwner(directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(String.valueOf(NOBODY)));
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> open(directory));
        assertEquals(2, error.problems().size(), error.getMessage());
    }

    @Test
    void ownerOnlyDirectoryIsAcceptedAndGroupReadableToo() throws IOException {
        Path directory = sessionDirectory("rwxr-x---");
        try (SessionBackend backend = open(directory)) {
            backend.save("session:k", new byte[]{1}, java.time.Duration.ofMinutes(1));
        }
    }
}
