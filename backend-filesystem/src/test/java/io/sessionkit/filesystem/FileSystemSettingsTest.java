package io.sessionkit.filesystem;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Reading and validating the SESSION_FILE_* keys. */
class FileSystemSettingsTest {

    @TempDir
    Path directory;

    @Test
    void defaultsAreThoseOfFlaskSession() {
        FileSystemSettings settings = FileSystemSettings.read(SessionConfig.builder().build());
        assertEquals(Path.of("flask_session").toAbsolutePath().normalize(), settings.directory());
        assertEquals(100_000, settings.threshold());
        assertEquals(0600, settings.mode());
    }

    @Test
    void invalidSettingsAreReportedTogether() {
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> BackendRegistry.load().create(SessionConfig.builder().set("SESSION_TYPE", "filesystem")
                        .set("SESSION_FILE_DIR", directory.toString())
                        .set("SESSION_FILE_MODE", "999").set("SESSION_FILE_THRESHOLD", "-1").build()));
        assertEquals(2, error.problems().size(), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_FILE_MODE was '999' but it must be an octal file mode"), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_FILE_THRESHOLD was '-1'"), error.getMessage());
    }

    @Test
    void readingTheSettingsTouchesNoDisk() {
        Path nested = directory.resolve("not/yet");
        FileSystemSettings settings = FileSystemSettings.read(SessionConfig.builder().set("SESSION_FILE_DIR", nested.toString()).build());
        assertEquals(nested, settings.directory());
        assertFalse(Files.exists(directory.resolve("not")), "reading the settings created the directory");
    }
}
