package io.sessionkit.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails the test, or the test class for its set-up and tear-down, during which a WARN or ERROR
 * line leaked a session id, cookie value, secret or session data (see {@link LogLeakWatch}).
 * Registered for every Jupiter test of a module with this module on its test class path,
 * through {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled} in this module's
 * {@code junit-platform.properties}.
 */
public final class LogLeakExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        LogLeakWatch.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnLeaks();
    }

    private static void failOnLeaks() {
        List<String> leaks = LogLeakWatch.drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("A WARN or ERROR log line holds what must never be logged (log a short prefix"
                    + " at most, see io.sessionkit.spi.Redaction):\n  " + String.join("\n  ", leaks));
        }
    }
}
