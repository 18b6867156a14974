package io.sessionkit.cli;

import io.sessionkit.core.SessionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sessionkit}: the administrator's tool for the sessions of a SessionKit store. It reads
 * the same {@code SESSION_*} keys as the application: from the environment, then Java system
 * properties, then the properties file of {@code --config}, then {@code --set}, each overriding
 * the one before. Every failure is one line on stderr and a documented exit code
 * ({@code docs/managing-sessions.md}); {@code --debug} adds the stack trace.
 */
@Command(name = "sessionkit", mixinStandardHelpOptions = true, versionProvider = SessionKitCli.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Count, list, show and revoke the sessions of a SessionKit store; purge expired ones; check a"
                + " configuration. The store is chosen and configured by the SESSION_* keys, as in the application.",
        subcommands = {CountCommand.class, ListCommand.class, ShowCommand.class, RevokeCommand.class,
                PurgeExpiredCommand.class, CheckCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:usage error (unknown command or option, bad argument, ambiguous id prefix)",
                "2:configuration error (bad key, unknown SESSION_TYPE, unreadable --config file)",
                "3:store unreachable or failing",
                "4:the backend lacks the capability the command needs",
                "5:no such session (show, revoke)"})
public final class SessionKitCli implements Runnable {

    private final Supplier<SessionConfig.Builder> baseConfig;
    private String openedType;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "A properties file of SESSION_* keys; its keys override the environment's.")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = CommandLine.ScopeType.INHERIT,
            description = "One key, overriding every other source; repeatable.")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure, and the log's warnings.")
    private boolean debug;

    /**
     * @param baseConfig the sources read before {@code --config} and {@code --set}: the
     *                   environment and the system properties for the real tool
     */
    SessionKitCli(Supplier<SessionConfig.Builder> baseConfig) {
        this.baseConfig = baseConfig;
    }

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--debug")) {
            // Before the first logger exists; a system property overrides simplelogger.properties.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        CommandLine commandLine = commandLine(() -> SessionConfig.builder().fromEnvironment().fromSystemProperties());
        System.exit(commandLine.execute(args));
    }

    /**
     * The tool, ready to {@link CommandLine#execute execute}; tests hand it their own base
     * configuration and writers.
     */
    static CommandLine commandLine(Supplier<SessionConfig.Builder> baseConfig) {
        SessionKitCli cli = new SessionKitCli(baseConfig);
        CommandLine commandLine = new CommandLine(cli);
        // A base64url id may start with '-': a word that is no option's exact name is an argument.
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        commandLine.setPosixClusteredShortOptionsAllowed(false);
        commandLine.setParameterExceptionHandler((problem, args) -> {
            PrintWriter err = problem.getCommandLine().getErr();
            err.println("sessionkit: " + FailureReport.oneLine(problem.getMessage()) + " (see `"
                    + problem.getCommandLine().getCommandSpec().qualifiedName() + " --help`)");
            err.flush();
            return ExitCode.USAGE;
        });
        commandLine.setExecutionExceptionHandler((failure, failedCommand, parseResult) ->
                FailureReport.report(failure, failedCommand.getErr(), cli.debug, cli.openedType));
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The configuration from every source, validated. */
    SessionConfig config() {
        SessionConfig.Builder builder = baseConfig.get();
        if (configFile != null) {
            builder.fromProperties(readProperties(configFile));
        }
        settings.forEach(builder::set);
        return builder.build();
    }

    /** Opens the store the configuration selects. */
    Store openStore() {
        SessionConfig config = config();
        openedType = config.type();
        return Store.open(config);
    }

    private static Properties readProperties(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCode.CONFIGURATION, "--config " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new CliFailure(ExitCode.CONFIGURATION, "--config " + file + " could not be read as a properties file: "
                    + e.getMessage());
        }
        return properties;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SessionKitCli.class.getPackage().getImplementationVersion();
            return new String[] {"sessionkit " + (version != null ? version : "(development build)")};
        }
    }
}
