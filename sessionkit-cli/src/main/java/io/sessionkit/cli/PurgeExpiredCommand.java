package io.sessionkit.cli;

import io.sessionkit.spi.ExpiredSessionCleanup;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sessionkit purge-expired}: deletes the expired entries of a store that keeps them until
 * they are cleaned up (a SQL table, a directory), through the backend's
 * {@link ExpiredSessionCleanup}. A store without that capability drops expired entries by itself
 * (Redis, memcached and DynamoDB expire them, MongoDB's TTL index deletes them): the command says
 * so and succeeds, since there is nothing to do.
 */
@Command(name = "purge-expired", header = "Delete expired sessions now, on a store that keeps them.",
        description = {
        "Delete expired sessions now and print how many (uses ExpiredSessionCleanup). On a store that expires",
        "entries itself (redis, memcached, mongodb, dynamodb) there is nothing to do: it says so and exits 0."})
final class PurgeExpiredCommand implements Callable<Integer> {

    @ParentCommand
    private SessionKitCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = "--progress", negatable = true, description = "Draw a progress bar on stderr (default: only when"
            + " stderr is a terminal).")
    private Boolean progress;

    @Override
    public Integer call() {
        try (Store store = cli.openStore()) {
            PrintWriter out = spec.commandLine().getOut();
            Optional<ExpiredSessionCleanup> cleanup = store.engine().capability(ExpiredSessionCleanup.class);
            if (cleanup.isEmpty()) {
                out.println("nothing to purge: the '" + store.type() + "' store drops expired sessions by itself"
                        + " (the backend has no " + ExpiredSessionCleanup.class.getSimpleName() + ")");
                return ExitCode.OK;
            }
            boolean drawn = progress != null ? progress : System.console() != null;
            int deleted = drawn
                    ? new Progress(spec.commandLine().getErr(), "purging expired sessions").run(cleanup.get()::deleteExpired)
                    : cleanup.get().deleteExpired();
            out.println("purged " + deleted + " expired " + (deleted == 1 ? "session" : "sessions"));
        }
        return ExitCode.OK;
    }
}
