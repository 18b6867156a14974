package io.sessionkit.jdbc;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, in a fresh temporary directory on a free loopback
 * port, that the test can stop and start again. The cluster is stopped by its pid when closed
 * and when the JVM exits. When the JVM runs as root, {@code initdb} and the server run as the
 * {@code postgres} user, since PostgreSQL refuses to run as root.
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path binaries;
    private final Path directory;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;

    private PrivatePostgres(Path binaries, Path directory, int port, boolean asPostgresUser) {
        this.binaries = binaries;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopImmediately, "private-postgres-stop");
    }

    /**
     * Creates the cluster and starts the server.
     *
     * @throws IllegalStateException saying what is missing when it cannot
     */
    static PrivatePostgres start() throws IOException, InterruptedException {
        Path binaries = findBinaries().orElseThrow(() -> new IllegalStateException(
                "initdb and pg_ctl were found neither on PATH nor under /usr/lib/postgresql/*/bin:"
                        + " apt-get install -y postgresql"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path directory = Files.createTempDirectory("sessionkit-pg");
        PrivatePostgres server = new PrivatePostgres(binaries, directory, freePort(), root);
        if (root) {
            server.run(List.of("chown", "postgres", directory.toString()), false);
        }
        server.run(List.of(binaries.resolve("initdb").toString(), "-D", server.data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-sync"), root);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        server.startServer();
        return server;
    }

    /** @return a JDBC URL for the server's {@code postgres} database */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server (again) on the same port and data. */
    void startServer() throws IOException, InterruptedException {
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "30",
                "-l", directory.resolve("server.log").toString(),
                "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + directory + " -c fsync=off", "start"), asPostgresUser);
    }

    /** Stops the server in fast mode: clients are disconnected, data is kept. */
    void stopServer() throws IOException, InterruptedException {
        Optional<Long> pid = pid();
        if (pid.isEmpty()) {
            return;
        }
        // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for the pool's connections to go away.
        run(List.of("kill", "-INT", pid.get().toString()), false);
        ProcessHandle.of(pid.get()).ifPresent(process -> process.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    private Optional<Long> pid() throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    }

    private void stopImmediately() {
        try {
            Optional<Long> pid = pid();
            pid.flatMap(ProcessHandle::of).ifPresent(process -> {
                process.destroyForcibly();
                process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            });
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop the private PostgreSQL in " + directory + ": " + e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stopServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopImmediately();
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            String log = "";
            Path serverLog = directory.resolve("server.log");
            if (Files.isReadable(serverLog)) {
                log = "\nserver.log:\n" + Files.readString(serverLog);
            }
            throw new IllegalStateException("command failed: " + String.join(" ", full) + "\n" + output + log);
        }
    }

    private static Optional<Path> findBinaries() throws IOException {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path initdb = Path.of(entry, "initdb");
            if (Files.isExecutable(initdb) && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
                return Optional.of(initdb.toRealPath().getParent());
            }
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(installed)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparing(bin -> versionNumber(bin.getParent().getFileName().toString())));
        }
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL at 127.0.0.1:" + port + " in " + directory + " from " + binaries;
    }
}
