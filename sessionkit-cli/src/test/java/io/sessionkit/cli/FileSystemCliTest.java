package io.sessionkit.cli;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The tool on the filesystem backend, in a fresh directory per test. */
class FileSystemCliTest extends SessionKitCliStoreTest {

    @TempDir
    Path directory;

    @Override
    Map<String, String> storeSettings() {
        return Map.of("SESSION_TYPE", "filesystem", "SESSION_FILE_DIR", directory.toString());
    }

    @Override
    boolean keepsExpiredEntries() {
        return true;
    }
}
