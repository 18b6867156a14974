package io.sessionkit.filesystem;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FileSystemContractTest extends SessionBackendContract {

    @TempDir
    static Path directory;

    @Override
    protected String type() {
        return "filesystem";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_FILE_DIR", directory.toString());
    }
}
