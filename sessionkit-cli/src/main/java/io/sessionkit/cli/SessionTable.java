package io.sessionkit.cli;

import io.sessionkit.SessionSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The table {@code list} prints: id (its first characters unless whole ids are asked for), user,
 * created, expires, size in bytes. Columns are separated by two spaces; times are UTC.
 */
final class SessionTable {

    private static final int USER_WIDTH = 24;
    private static final int TIME_WIDTH = 20;

    private final PrintWriter out;
    private final boolean fullIds;
    private final int idWidth;

    SessionTable(PrintWriter out, boolean fullIds, int idLength) {
        this.out = out;
        this.fullIds = fullIds;
        this.idWidth = fullIds ? idLength : SessionIdArgument.MIN_PREFIX;
    }

    void header() {
        row("ID", "USER", "CREATED", "EXPIRES", "SIZE");
    }

    void row(SessionSummary session) {
        row(fullIds ? session.id() : SessionIdArgument.prefix(session.id()),
                session.principal() == null ? "-" : session.principal(),
                time(session.created()), time(session.expiresAt()), Integer.toString(session.size()));
    }

    private void row(String id, String user, String created, String expires, String size) {
        out.printf("%-" + idWidth + "s  %-" + USER_WIDTH + "s  %-" + TIME_WIDTH + "s  %-" + TIME_WIDTH + "s  %s%n",
                id, printable(user), created, expires, size);
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A user name is application data: control characters would garble the terminal. */
    private static String printable(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
