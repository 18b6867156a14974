package io.sessionkit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sessionkit count}: how many live sessions the store holds under the key prefix. */
@Command(name = "count", header = "Print how many live sessions the store holds.",
        description = "Needs SessionListing; on a large store this reads every key.")
final class CountCommand implements Callable<Integer> {

    @ParentCommand
    private SessionKitCli cli;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        try (Store store = cli.openStore()) {
            spec.commandLine().getOut().println(store.engine().count());
        }
        return ExitCode.OK;
    }
}
