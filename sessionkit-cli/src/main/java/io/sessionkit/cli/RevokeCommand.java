package io.sessionkit.cli;

import io.sessionkit.ConfigKeys;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sessionkit revoke ID} ends one session; {@code sessionkit revoke --user U [--except ID]}
 * ends every session of a user, or all but one. A revoked session's record is deleted, so every
 * application node sees it gone at once.
 */
@Command(name = "revoke", header = "End one session, or every session of a user.",
        description = {
        "End one session (ID: the whole id or its first 8 or more characters), or every session of a user.",
        "--user needs PrincipalIndex and SESSION_PRINCIPAL_KEY; an id prefix needs SessionListing."})
final class RevokeCommand implements Callable<Integer> {

    @ParentCommand
    private SessionKitCli cli;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The session to end.")
    private String id;

    @Option(names = "--user", paramLabel = "U", description = "End every session of this user.")
    private String user;

    @Option(names = "--except", paramLabel = "ID", description = "With --user: keep this one session.")
    private String except;

    @Override
    public Integer call() {
        if ((id == null) == (user == null)) {
            throw new CliFailure(ExitCode.USAGE, "give either a session ID or --user U (see `sessionkit revoke --help`)");
        }
        if (except != null && user == null) {
            throw new CliFailure(ExitCode.USAGE, "--except keeps one session of --user U; it needs --user");
        }
        try (Store store = cli.openStore()) {
            PrintWriter out = spec.commandLine().getOut();
            if (id != null) {
                String wholeId = SessionIdArgument.resolve(store, id);
                if (!store.engine().revoke(wholeId)) {
                    throw new CliFailure(ExitCode.NOT_FOUND, "no session " + SessionIdArgument.prefix(wholeId)
                            + "... in the store (it expired, was deleted, or the id is wrong)");
                }
                out.println("revoked session " + SessionIdArgument.prefix(wholeId));
                return ExitCode.OK;
            }
            if (store.config().principalKey().isEmpty()) {
                throw new CliFailure(ExitCode.CONFIGURATION, "--user needs " + ConfigKeys.SESSION_PRINCIPAL_KEY
                        + ", the session attribute that names the user, as the application sets it");
            }
            int revoked = except == null ? store.engine().revokeAll(user)
                    : store.engine().revokeAllExcept(user, SessionIdArgument.resolve(store, except));
            out.println("revoked " + revoked + (revoked == 1 ? " session" : " sessions") + " of user " + user
                    + (except == null ? "" : ", kept " + SessionIdArgument.prefix(except)));
        }
        return ExitCode.OK;
    }
}
