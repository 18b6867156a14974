package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** "Your sessions" on the demo's default store. */
class YourSessionsOnFileSystemTest extends YourSessionsTest {

    @TempDir
    Path sessions;

    @Override
    SessionConfig config() {
        return SessionConfig.builder()
                .set("SESSION_TYPE", "filesystem")
                .set("SESSION_FILE_DIR", sessions.toString())
                .build();
    }
}
