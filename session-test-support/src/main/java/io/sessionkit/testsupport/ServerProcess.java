package io.sessionkit.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A server run as a child process of this JVM, for tests: it gets a fresh temporary directory,
 * is waited for until it is ready, and is stopped by its pid, at the latest when the JVM exits.
 * It can be stopped, suspended and started again on the same port and directory, to play an
 * outage. {@link #close()} stops it and deletes the directory.
 *
 * <pre>{@code
 * ServerProcess server = ServerProcess.builder("memcached", FreePort.onLoopback())
 *         .command(dir -> memcached.commandLine(List.of("-l", "127.0.0.1", "-p", ...)))
 *         .start();
 * }</pre>
 *
 * <p>What the process writes to standard output and error goes to {@code output.log} in its
 * directory; when it does not start, the exception carries the tail of that file and of the
 * {@linkplain Builder#logFiles log files} the server writes itself.
 *
 * <p>Not thread-safe: one test drives one server.
 */
public final class ServerProcess implements AutoCloseable {

    /** Where the process's standard output and error go, in its directory. */
    public static final String OUTPUT_LOG = "output.log";

    private static final int LOG_TAIL_LINES = 40;
    private static final Set<Process> RUNNING = Collections.synchronizedSet(new HashSet<>());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (RUNNING) {
                RUNNING.forEach(Process::destroyForcibly);
            }
        }, "stop-test-server-processes"));
    }

    private final Builder settings;
    private final Path directory;
    private final List<String> command;
    private Process process;
    private boolean suspended;
    private final Set<Long> suspendedPids = new HashSet<>();
    private boolean stopSignalSent;

    private ServerProcess(Builder settings, Path directory, List<String> command) {
        this.settings = settings;
        this.directory = directory;
        this.command = command;
    }

    /**
     * @param name what runs, for messages, such as {@code redis-server}
     * @param port the port it listens on at 127.0.0.1, as its command line will say
     * @return a builder; {@link Builder#command} is required
     */
    public static Builder builder(String name, int port) {
        return new Builder(name, port);
    }

    /**
     * @return what runs, for messages
     */
    public String name() {
        return settings.name;
    }

    /**
     * @return the port it listens on at 127.0.0.1
     */
    public int port() {
        return settings.port;
    }

    /**
     * @return its temporary directory, deleted by {@link #close()}
     */
    public Path directory() {
        return directory;
    }

    /**
     * @return the pid of the running process
     * @throws IllegalStateException when it is not running
     */
    public long pid() {
        if (!isRunning()) {
            throw new IllegalStateException(this + " is not running");
        }
        return process.pid();
    }

    /**
     * @return whether the process is alive (a suspended one is)
     */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Stops the process by its pid with the {@linkplain Builder#stopSignal stop signal}, waits
     * for it to exit and kills it when it takes longer than the stop timeout. The directory is
     * kept, so {@link #restart()} finds its data. Does nothing when it is not running.
     */
    public void stop() {
        sendStopSignal();
        awaitExit();
    }

    /**
     * Starts the process again with the same command line, port and directory, stopping it
     * first when it runs, and waits until it is ready.
     *
     * @throws IllegalStateException with the log's tail when it does not become ready
     */
    public void restart() {
        stop();
        launch();
    }

    /**
     * Suspends the process and every process it started ({@code SIGSTOP}): its connections stay
     * open but nothing answers. The children count because a server such as PostgreSQL serves
     * each connection from a process of its own, which would go on answering with only its
     * parent stopped. The parent is stopped first, so that it starts no new child meanwhile.
     * Does nothing when it is suspended already.
     */
    public void suspend() {
        if (suspended) {
            return;
        }
        signal("STOP", List.of(pid()));
        suspendedPids.add(process.pid());
        // A child could still be forking when its parent stops: look again until a pass finds none.
        List<Long> children;
        do {
            children = process.descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                    .filter(pid -> !suspendedPids.contains(pid)).toList();
            if (!children.isEmpty()) {
                signal("STOP", children);
                suspendedPids.addAll(children);
            }
        } while (!children.isEmpty());
        suspended = true;
    }

    /**
     * Lets a {@linkplain #suspend() suspended} process and its children run again
     * ({@code SIGCONT}); does nothing when it is not suspended.
     */
    public void resume() {
        if (!suspended) {
            return;
        }
        List<Long> alive = suspendedPids.stream()
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
        if (!alive.isEmpty()) {
            signal("CONT", alive);
        }
        suspendedPids.clear();
        suspended = false;
    }

    /**
     * @return whether the process is {@linkplain #suspend() suspended}
     */
    public boolean isSuspended() {
        return suspended;
    }

    /**
     * Stops the process and deletes its directory.
     */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteDirectory();
        }
    }

    /**
     * Closes several servers at once: each is signalled before any is waited for, since some
     * (a Redis Cluster node, for one) take a second or two to exit.
     *
     * @param servers the servers to stop and delete
     */
    public static void closeAll(Collection<ServerProcess> servers) {
        servers.forEach(ServerProcess::sendStopSignal);
        servers.forEach(ServerProcess::close);
    }

    /**
     * @return the last lines of {@code output.log} and of the server's own log files
     */
    public String logTail() {
        StringBuilder text = new StringBuilder();
        List<String> files = new ArrayList<>(List.of(OUTPUT_LOG));
        files.addAll(settings.logFiles);
        for (String name : files) {
            Path file = directory.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            text.append("--- ").append(file).append(" (last ").append(LOG_TAIL_LINES).append(" lines)\n");
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
                        .forEach(line -> text.append(line).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                text.append("(could not read it: ").append(e.getMessage()).append(")\n");
            }
        }
        return text.length() == 0 ? "(no log written)" : text.toString();
    }

    @Override
    public String toString() {
        return settings.name + " on 127.0.0.1:" + settings.port + " in " + directory;
    }

    private void launch() {
        try {
            process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(OUTPUT_LOG).toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        }
        stopSignalSent = false;
        RUNNING.add(process);
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + settings.startTimeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                RUNNING.remove(process);
                throw new IllegalStateException(this + " exited at start-up with status " + process.exitValue()
                        + "; command: " + String.join(" ", command) + "\n" + logTail());
            }
            try {
                settings.readiness.check(this);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException(this + " was not ready within " + settings.startTimeout
                            + " (" + notYet + "); command: " + String.join(" ", command) + "\n" + logTail(), notYet);
                }
                pause(20);
            }
        }
    }

    private void sendStopSignal() {
        if (!isRunning() || stopSignalSent) {
            return;
        }
        resume(); // a suspended process would not act on the signal until continued
        if (settings.stopSignal.equals("TERM")) {
            process.destroy();
        } else {
            signal(settings.stopSignal);
        }
        stopSignalSent = true;
    }

    private void awaitExit() {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(settings.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    private void signal(String signal) {
        if (!isRunning()) {
            throw new IllegalStateException("cannot send SIG" + signal + ": " + this + " is not running");
        }
        signal(signal, List.of(process.pid()));
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> arguments = new ArrayList<>(List.of("-" + signal));
        pids.forEach(pid -> arguments.add(Long.toString(pid)));
        ExternalProgram.find("kill", "apt-get install -y procps").run(null, Duration.ofSeconds(5), arguments);
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }

    /** Waits between two looks at a server that is getting ready. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server to get ready", e);
        }
    }

    /**
     * Decides whether a started server is ready for the test.
     */
    @FunctionalInterface
    public interface ReadinessCheck {

        /**
         * @param server the server, alive
         * @throws Exception when it is not ready yet; asked again until the start timeout
         */
        void check(ServerProcess server) throws Exception;

        /**
         * @return a check that passes once the port accepts a TCP connection
         */
        static ReadinessCheck portAccepts() {
            return server -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
                }
            };
        }
    }

    /**
     * A step run once in the fresh directory before the first start.
     */
    @FunctionalInterface
    public interface Preparation {

        /**
         * @param directory the server's new, empty directory
         * @throws Exception when it fails; the start fails with it
         */
        void prepare(Path directory) throws Exception;
    }

    /**
     * How to start a {@link ServerProcess}.
     */
    public static final class Builder {

        private final String name;
        private final int port;
        private Function<Path, List<String>> command;
        private Preparation preparation = directory -> { };
        private ReadinessCheck readiness = ReadinessCheck.portAccepts();
        private List<String> logFiles = List.of();
        private Duration startTimeout = Duration.ofSeconds(10);
        private String stopSignal = "TERM";
        private Duration stopTimeout = Duration.ofSeconds(10);

        private Builder(String name, int port) {
            this.name = Objects.requireNonNull(name, "name");
            this.port = port;
        }

        /**
         * @param command the command line, given the server's directory; it must make the
         *                server listen on 127.0.0.1 only, on {@link #port()}
         * @return this builder
         */
        public Builder command(Function<Path, List<String>> command) {
            this.command = Objects.requireNonNull(command, "command");
            return this;
        }

        /**
         * @param preparation run once in the fresh directory before the first start, such as
         *                    writing a configuration file or creating a database cluster
         * @return this builder
         */
        public Builder prepare(Preparation preparation) {
            this.preparation = Objects.requireNonNull(preparation, "preparation");
            return this;
        }

        /**
         * @param readiness when the server counts as started; default: its port accepts a connection
         * @return this builder
         */
        public Builder readiness(ReadinessCheck readiness) {
            this.readiness = Objects.requireNonNull(readiness, "readiness");
            return this;
        }

        /**
         * @param names files in the directory that the server logs to, quoted in failure messages
         * @return this builder
         */
        public Builder logFiles(String... names) {
            this.logFiles = List.of(names);
            return this;
        }

        /**
         * @param timeout how long the server may take to become ready; default 10 s
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param signal the signal that stops the server, such as {@code INT}; default {@code TERM}
         * @param timeout how long it may take to exit before it is killed; default 10 s
         * @return this builder
         */
        public Builder stopSignal(String signal, Duration timeout) {
            this.stopSignal = Objects.requireNonNull(signal, "signal");
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Creates the directory, runs the preparation, starts the process and waits until it is ready.
         *
         * @return the running server
         * @throws IllegalStateException with the log's tail when it does not start; the
         *                               process is stopped and the directory deleted then
         */
        public ServerProcess start() {
            Objects.requireNonNull(command, "command is required");
            Path directory;
            try {
                directory = Files.createTempDirectory(name.replaceAll("[^A-Za-z0-9]", "-") + "-" + port + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("no temporary directory for " + name + ": " + e.getMessage(), e);
            }
            ServerProcess server = new ServerProcess(this, directory, List.copyOf(command.apply(directory)));
            try {
                preparation.prepare(directory);
                server.launch();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            } catch (Exception e) {
                server.close();
                throw new IllegalStateException("could not prepare " + server + ": " + e.getMessage(), e);
            }
        }
    }
}
