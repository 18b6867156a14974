package io.sessionkit.cli;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionPage;
import io.sessionkit.SessionSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sessionkit list}: the live sessions, page by page with the engine's cursor so that the
 * tool never holds them all; with {@code --user}, one user's sessions from the principal index.
 */
@Command(name = "list", header = "List live sessions, or one user's.",
        description = {
        "List live sessions: id (first 8 characters), user, created, expires (UTC), size in bytes.",
        "Needs SessionListing; with --user, PrincipalIndex and SESSION_PRINCIPAL_KEY."})
final class ListCommand implements Callable<Integer> {


    @ParentCommand
    private SessionKitCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = "--user", paramLabel = "U", description = "Only the sessions of this user (the value of the"
            + " SESSION_PRINCIPAL_KEY attribute).")
    private String user;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N sessions (default: all).")
    private Integer limit;

    @Option(names = "--full-ids", description = "Print whole session ids. A whole id is a credential: whoever holds it"
            + " can use the session (unless SESSION_USE_SIGNER is on).")
    private boolean fullIds;

    /** Sessions read per round trip: large enough to be quick, small enough to hold. */
    @Option(names = "--page-size", hidden = true, defaultValue = "500")
    private int pageSize;

    @Override
    public Integer call() {
        if (pageSize < 1) {
            throw new CliFailure(ExitCode.USAGE, "--page-size must be at least 1: " + pageSize);
        }
        if (limit != null && limit < 1) {
            throw new CliFailure(ExitCode.USAGE, "--limit must be at least 1: " + limit);
        }
        try (Store store = cli.openStore()) {
            PrintWriter out = spec.commandLine().getOut();
            SessionTable table = new SessionTable(out, fullIds, (store.config().idLength() * 4 + 2) / 3);
            table.header();
            int printed;
            boolean more;
            if (user != null) {
                if (store.config().principalKey().isEmpty()) {
                    throw new CliFailure(ExitCode.CONFIGURATION, "--user needs " + ConfigKeys.SESSION_PRINCIPAL_KEY
                            + ", the session attribute that names the user, as the application sets it");
                }
                List<SessionSummary> sessions = store.engine().sessionsOf(user);
                printed = Math.min(sessions.size(), limit == null ? Integer.MAX_VALUE : limit);
                sessions.subList(0, printed).forEach(table::row);
                more = printed < sessions.size();
            } else {
                printed = 0;
                more = false;
                String cursor = null;
                do {
                    int wanted = limit == null ? pageSize : Math.min(pageSize, limit - printed);
                    SessionPage page = store.engine().list(cursor, wanted);
                    for (SessionSummary session : page.sessions()) {
                        table.row(session);
                        printed++;
                    }
                    cursor = page.nextCursor();
                    if (limit != null && printed >= limit) {
                        more = cursor != null;
                        break;
                    }
                } while (cursor != null);
            }
            out.println(printed + (printed == 1 ? " session" : " sessions")
                    + (more ? " shown; there may be more (raise --limit)" : ""));
        }
        return ExitCode.OK;
    }
}
