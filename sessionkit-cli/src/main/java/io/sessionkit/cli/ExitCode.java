package io.sessionkit.cli;

/**
 * The exit codes of {@code sessionkit}, as documented in {@code docs/managing-sessions.md}.
 */
final class ExitCode {

    /** The command did what was asked. */
    static final int OK = 0;
    /** The command line was wrong: an unknown command or option, a missing or malformed argument. */
    static final int USAGE = 1;
    /** The configuration was wrong: a bad or missing key, an unknown {@code SESSION_TYPE}, an unreadable file. */
    static final int CONFIGURATION = 2;
    /** The store could not be reached or failed, or what it holds could not be read. */
    static final int STORE = 3;
    /** The backend lacks the optional capability the command needs. */
    static final int CAPABILITY_MISSING = 4;
    /** The session named on the command line does not exist. */
    static final int NOT_FOUND = 5;

    private ExitCode() {
    }
}
