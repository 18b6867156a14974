package io.sessionkit.cli;

import io.sessionkit.SessionCapabilityException;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionException;
import java.io.PrintWriter;

/**
 * Turns any failure of a command into one line on stderr and an exit code; the stack trace only
 * with {@code --debug}.
 */
final class FailureReport {

    private FailureReport() {
    }

    /**
     * @param backendType the {@code SESSION_TYPE} of the store the command opened, or {@code null}
     */
    static int report(Throwable failure, PrintWriter err, boolean debug, String backendType) {
        int code = exitCode(failure);
        err.println("sessionkit: " + oneLine(message(failure, backendType)));
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static int exitCode(Throwable failure) {
        if (failure instanceof CliFailure known) {
            return known.exitCode();
        }
        if (failure instanceof SessionConfigException) {
            return ExitCode.CONFIGURATION;
        }
        if (failure instanceof SessionCapabilityException) {
            return ExitCode.CAPABILITY_MISSING;
        }
        if (failure instanceof IllegalArgumentException) {
            return ExitCode.USAGE;
        }
        return ExitCode.STORE;
    }

    private static String message(Throwable failure, String backendType) {
        if (failure instanceof SessionCapabilityException missing) {
            return Capability.missingMessage(missing, backendType);
        }
        if (failure instanceof CliFailure || failure instanceof SessionException) {
            return failure.getMessage();
        }
        if (failure instanceof IllegalArgumentException) {
            return failure.getMessage();
        }
        // Not one of SessionKit's documented failures: name it, since its message alone may say little.
        return "unexpected " + failure.getClass().getName() + ": " + failure.getMessage();
    }

    /** Messages of drivers may span lines; the report is one. */
    static String oneLine(String text) {
        return text == null ? "(no message)" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
