package io.sessionkit.memcached;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private memcached server for tests: started from the {@code memcached} binary on a free
 * loopback port in a fresh directory, stopped by its pid at the end or when the JVM exits.
 * It can be stopped and started again on the same port to simulate an outage.
 */
final class MemcachedServer implements AutoCloseable {

    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin");

    private final int port;
    private final List<String> extraArguments;
    private final Path directory;
    private Process process;
    private boolean frozen;

    private MemcachedServer(int port, List<String> extraArguments) throws IOException {
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
        this.directory = Files.createTempDirectory("memcached-test-");
    }

    /**
     * @param extraArguments further memcached options, e.g. {@code "-I", "64k"}
     * @return a running server on a free loopback port
     */
    static MemcachedServer launch(String... extraArguments) {
        try {
            MemcachedServer server = new MemcachedServer(freePort(), List.of(extraArguments));
            try {
                server.start();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server (again) on its port and waits until it answers. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary(), "-l", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "0", "-m", "64", "-c", "256",
                // memcached refuses to run as root without -u; as any other user -u is ignored.
                "-u", System.getProperty("user.name")));
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("memcached.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitAnswer();
    }

    /** Stops the server by its pid and waits until it is gone. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        if (frozen) {
            thaw();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        File[] files = directory.toFile().listFiles();
        if (files != null) {
            for (File file : files) {
                file.delete();
            }
        }
        directory.toFile().delete();
    }

    int port() {
        return port;
    }

    /** @return {@code 127.0.0.1:port}, as SESSION_MEMCACHED takes it */
    String address() {
        return "127.0.0.1:" + port;
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** @return the number of items the server holds now ({@code stats}: {@code curr_items}) */
    long itemCount() {
        return Long.parseLong(stats().get("curr_items"));
    }

    /** @return the server's version, as {@code stats} reports it */
    String version() {
        return stats().get("version");
    }

    /** Reads {@code stats} over the text protocol, independently of the client under test. */
    Map<String, String> stats() {
        Map<String, String> stats = new HashMap<>();
        for (String line : command("stats")) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3 && parts[0].equals("STAT")) {
                stats.put(parts[1], parts[2]);
            }
        }
        return stats;
    }

    /**
     * Asks the server how long an item has left to live ({@code mg <key> t}).
     *
     * @param key the key
     * @return the remaining seconds, -1 for never, or {@code null} when the server holds no such item
     */
    Long timeToLiveSeconds(String key) {
        String answer = exchange("mg " + key + " t");
        if (answer.equals("EN")) {
            return null;
        }
        if (!answer.startsWith("HD t")) {
            throw new IllegalStateException("unexpected answer to 'mg': " + answer);
        }
        return Long.parseLong(answer.substring("HD t".length()));
    }

    /**
     * @param key the key
     * @return whether this server holds the item
     */
    boolean holds(String key) {
        return timeToLiveSeconds(key) != null;
    }

    /** Sends one command and reads its one-line answer. */
    private String exchange(String command) {
        try (Socket socket = connect()) {
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("memcached on " + address() + " did not answer '" + command + "'", e);
        }
    }

    /** An item as the server holds it. */
    record Item(int flags, byte[] data) {
    }

    /**
     * Reads one item over the text protocol, bypassing the client under test.
     *
     * @param key the key
     * @return the item, or {@code null} when absent
     */
    Item rawItem(String key) {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("get " + key + "\r\n").getBytes(StandardCharsets.UTF_8));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String header = readLine(in);
            if (header.equals("END")) {
                return null;
            }
            String[] parts = header.split(" "); // VALUE <key> <flags> <bytes>
            byte[] data = new byte[Integer.parseInt(parts[3])];
            in.readFully(data);
            return new Item(Integer.parseInt(parts[2]), data);
        } catch (IOException e) {
            throw new UncheckedIOException("memcached on " + address() + " did not answer 'get'", e);
        }
    }

    private List<String> command(String command) {
        try (Socket socket = connect()) {
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.equals("END"); line = in.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("memcached on " + address() + " did not answer '" + command + "'", e);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(socketAddress(), 1000);
        socket.setSoTimeout(2000);
        return socket;
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** Freezes the server (SIGSTOP): connections stay open but nothing answers. */
    synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** Lets a {@linkplain #freeze() frozen} server run again (SIGCONT). */
    synchronized void thaw() {
        signal("CONT");
        frozen = false;
    }

    private synchronized void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                stats();
                return;
            } catch (UncheckedIOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("memcached did not start on " + address() + "; its output: "
                            + readLog(), notYet);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private String readLog() {
        try {
            return Files.readString(directory.resolve("memcached.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String binary() {
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.addAll(SEARCH_PATH);
        for (String directory : directories) {
            File candidate = new File(directory, "memcached");
            if (!directory.isEmpty() && candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        throw new IllegalStateException("memcached not found on PATH: apt-get install -y memcached");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
