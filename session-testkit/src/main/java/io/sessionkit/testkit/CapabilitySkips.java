package io.sessionkit.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records each contract test skipped because the backend does not offer an optional
 * capability, one line per test and contract subclass in
 * {@code target/sessionkit-capability-skips.txt} of the module
 * under test, so that a build can tell these legitimate skips from a test that did not run
 * because its server was missing (which must fail the build). The file is rewritten by each test
 * run of a module.
 */
public final class CapabilitySkips implements BeforeAllCallback, TestWatcher {

    /** How every capability skip's reason begins. */
    static final String REASON_PREFIX = "the backend does not offer ";

    private static final AtomicBoolean FIRST_IN_THIS_RUN = new AtomicBoolean(true);

    /** Empties the record of an earlier run, once per test JVM. */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (FIRST_IN_THIS_RUN.getAndSet(false)) {
            Files.deleteIfExists(file());
        }
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        String reason = cause == null ? "" : String.valueOf(cause.getMessage());
        int start = reason.indexOf(REASON_PREFIX);
        if (start < 0) {
            return;
        }
        // The backend's own contract class first: a module may run the contract for several set-ups.
        String backendContract = context.getRequiredTestInstances().getAllInstances().get(0).getClass().getName();
        String line = backendContract + " " + context.getRequiredTestClass().getSimpleName() + " "
                + context.getDisplayName() + ": " + reason.substring(start) + System.lineSeparator();
        write(line);
    }

    private static Path file() {
        return Path.of(System.getProperty("user.dir"), "target", "sessionkit-capability-skips.txt");
    }

    private static synchronized void write(String line) {
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record a capability skip in " + file, e);
        }
    }
}
