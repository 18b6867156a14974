package io.sessionkit.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the caller's own: a new database cluster ({@code initdb}, trust
 * authentication) in a fresh temporary directory, served on a free port at 127.0.0.1, that
 * can be stopped and started again on the same data. When the JVM runs as root, {@code initdb}
 * and the server run as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
public final class PostgresServerProcess extends StoreServerProcess {

    private static final String INSTALL = "apt-get install -y postgresql";

    private PostgresServerProcess(ServerProcess process) {
        super(process);
    }

    /**
     * Creates the cluster and starts the server.
     *
     * @return the running server, accepting connections as {@code postgres} without a password
     * @throws IllegalStateException saying what is missing or with the server's log when it cannot
     */
    public static PostgresServerProcess start() {
        Path binaries = findBinaries().orElseThrow(() -> new IllegalStateException(
                "initdb and postgres were found neither on the PATH nor under /usr/lib/postgresql/*/bin: " + INSTALL));
        boolean root = "root".equals(System.getProperty("user.name"));
        int port = FreePort.onLoopback();
        ServerProcess server = ServerProcess.builder("postgres", port)
                .prepare(directory -> {
                    if (root) {
                        ExternalProgram.find("chown", "apt-get install -y coreutils")
                                .run(Duration.ofSeconds(10), "postgres", directory.toString());
                    }
                    run(root, directory, Duration.ofSeconds(60), binaries.resolve("initdb"),
                            List.of("-D", data(directory).toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                    "--no-sync"));
                })
                .command(directory -> asPostgresUser(root, binaries.resolve("postgres"), List.of(
                        "-D", data(directory).toString(), "-p", Integer.toString(port), "-k", directory.toString(),
                        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")))
                .readiness(PostgresServerProcess::acceptsConnections)
                .startTimeout(Duration.ofSeconds(30))
                // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for the pool's connections to go away.
                .stopSignal("INT", Duration.ofSeconds(30))
                .start();
        return new PostgresServerProcess(server);
    }

    /**
     * @return a JDBC URL for the server's {@code postgres} database
     */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    private static Path data(Path directory) {
        return directory.resolve("data");
    }

    /**
     * What {@code pg_ctl -w} waits for: the postmaster reports itself ready in its pid file
     * (line 1 its pid, line 8 its status), a file left by a killed one does not count.
     */
    private static void acceptsConnections(ServerProcess server) throws IOException {
        List<String> lines = Files.readAllLines(data(server.directory()).resolve("postmaster.pid"), StandardCharsets.US_ASCII);
        if (lines.size() < 8 || !lines.get(0).trim().equals(Long.toString(server.pid()))
                || !lines.get(7).trim().equals("ready")) {
            throw new IllegalStateException("postmaster.pid does not say ready yet: " + lines);
        }
    }

    private static void run(boolean root, Path directory, Duration timeout, Path program, List<String> arguments) {
        List<String> command = asPostgresUser(root, program, arguments);
        ExternalProgram.at(Path.of(command.get(0))).run(directory, timeout, command.subList(1, command.size()));
    }

    /** {@code setpriv} replaces itself with the program, so the pid kept is the server's own. */
    private static List<String> asPostgresUser(boolean root, Path program, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (root) {
            command.add(ExternalProgram.find("setpriv", "apt-get install -y util-linux").path().toString());
            command.addAll(List.of("--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        command.add(program.toString());
        command.addAll(arguments);
        return command;
    }

    private static Optional<Path> findBinaries() {
        try {
            for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path initdb = Path.of(entry, "initdb");
                if (!entry.isEmpty() && Files.isExecutable(initdb) && Files.isExecutable(Path.of(entry, "postgres"))) {
                    return Optional.of(initdb.toRealPath().getParent());
                }
            }
            Path installed = Path.of("/usr/lib/postgresql");
            if (!Files.isDirectory(installed)) {
                return Optional.empty();
            }
            try (Stream<Path> versions = Files.list(installed)) {
                return versions.map(version -> version.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres")))
                        .max(Comparator.comparing(bin -> versionNumber(bin.getParent().getFileName().toString())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not look for the PostgreSQL programs: " + e.getMessage(), e);
        }
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
