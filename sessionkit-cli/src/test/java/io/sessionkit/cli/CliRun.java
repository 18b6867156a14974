package io.sessionkit.cli;

import io.sessionkit.core.SessionConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * One run of the tool in-process, with its output and errors captured.
 *
 * @param exitCode what the process would exit with
 * @param out      what it printed on stdout
 * @param err      what it printed on stderr
 */
record CliRun(int exitCode, String out, String err) {

    /**
     * @param config the sources the real tool reads from the environment and system properties
     */
    static CliRun of(Supplier<SessionConfig.Builder> config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SessionKitCli.commandLine(config);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** Lines of stdout. */
    java.util.List<String> outLines() {
        return out.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
