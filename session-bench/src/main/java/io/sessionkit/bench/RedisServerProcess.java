package io.sessionkit.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A private {@code redis-server} on a free loopback port, in a fresh temporary directory,
 * without persistence, for benchmarks that must not share a server with anything else. Stopped
 * by {@link #close()} or, failing that, when the JVM exits.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path directory;
    private final Thread stopOnExit;

    private RedisServerProcess(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
        this.stopOnExit = new Thread(process::destroy, "stop redis-server " + port);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts the server and waits until it accepts connections.
     *
     * @return the running server
     * @throws IllegalStateException when {@code redis-server} is missing or does not come up
     */
    public static RedisServerProcess start() {
        int port = freePort();
        Path directory;
        Process process;
        try {
            directory = Files.createTempDirectory("bench-redis-");
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", directory.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server (" + e.getMessage()
                    + "); install it: apt-get install -y redis-server", e);
        }
        RedisServerProcess server = new RedisServerProcess(process, port, directory);
        server.awaitAccepting(Duration.ofSeconds(10));
        return server;
    }

    /** @return the port the server listens on, at 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the server's URL for {@code SESSION_REDIS} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitAccepting(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with status " + process.exitValue()
                        + " at start; see " + directory.resolve("redis.log"));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(20));
            }
        }
        close();
        throw new IllegalStateException("redis-server did not accept connections on 127.0.0.1:" + port + " within "
                + timeout.toSeconds() + " s; see " + directory.resolve("redis.log"));
    }

    /** Stops the server and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException shuttingDown) {
            // Called from another shutdown hook: ours runs anyway.
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
