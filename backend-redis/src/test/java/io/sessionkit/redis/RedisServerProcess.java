package io.sessionkit.redis;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import javax.net.ssl.SSLSocketFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} for tests: loopback only, on a free port, in a fresh temporary
 * directory, without persistence. It runs as a child process and is stopped by its pid, at the
 * latest when the JVM exits. Never the machine's shared server, so command counts are ours.
 */
final class RedisServerProcess implements AutoCloseable {

    private static final Set<Process> RUNNING = Collections.synchronizedSet(new HashSet<>());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (RUNNING) {
                RUNNING.forEach(Process::destroyForcibly);
            }
        }, "stop-test-redis-servers"));
    }

    private final Path dir;
    private final int port;
    private final List<String> arguments;
    private final SSLSocketFactory tls;
    private Process process;

    private RedisServerProcess(Path dir, int port, List<String> arguments, SSLSocketFactory tls) {
        this.dir = dir;
        this.port = port;
        this.arguments = arguments;
        this.tls = tls;
    }

    /**
     * Starts a standalone server.
     *
     * @param extraArguments further {@code redis-server} options, such as {@code --cluster-enabled yes}
     * @return the running server
     */
    static RedisServerProcess start(String... extraArguments) {
        return start(freePort(), extraArguments);
    }

    /**
     * @param port           the port to listen on
     * @param extraArguments further {@code redis-server} options
     * @return the running server
     */
    static RedisServerProcess start(int port, String... extraArguments) {
        Path dir = tempDir("redis-" + port + "-");
        List<String> arguments = new ArrayList<>(List.of(executable("redis-server"),
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
        arguments.addAll(List.of(extraArguments));
        RedisServerProcess server = new RedisServerProcess(dir, port, arguments, null);
        server.launch();
        return server;
    }

    /**
     * Starts a server that speaks only TLS.
     *
     * @param certificate the server's certificate (PEM), also used as the trusted CA
     * @param key         its private key (PEM)
     * @param trusting    a socket factory that trusts the certificate, for the readiness check
     * @return the running server
     */
    static RedisServerProcess startTls(Path certificate, Path key, SSLSocketFactory trusting) {
        int port = freePort();
        Path dir = tempDir("redis-tls-" + port + "-");
        List<String> arguments = List.of(executable("redis-server"), "--port", "0", "--tls-port", String.valueOf(port),
                "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no",
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString());
        RedisServerProcess server = new RedisServerProcess(dir, port, arguments, trusting);
        server.launch();
        return server;
    }

    /**
     * Starts a Sentinel monitoring {@code masterPort} under {@code masterName}.
     *
     * @param masterName the name to monitor the master under
     * @param masterPort the master's port
     * @return the running Sentinel
     */
    static RedisServerProcess startSentinel(String masterName, int masterPort) {
        int port = freePort();
        Path dir = tempDir("sentinel-" + port + "-");
        Path conf = dir.resolve("sentinel.conf");
        write(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + dir,
                "logfile " + dir.resolve("sentinel.log"),
                "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds " + masterName + " 5000",
                ""));
        RedisServerProcess sentinel = new RedisServerProcess(dir, port,
                List.of(executable("redis-server"), conf.toString(), "--sentinel"), null);
        sentinel.launch();
        return sentinel;
    }

    /**
     * @return a port on 127.0.0.1 that is free, and whose cluster bus port (+10000) is free too
     */
    static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = bind(0);
            if (port < 55_000 && bind(port + 10_000) > 0) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair (p, p+10000) found for a test Redis server");
    }

    private static int bind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * @param name a Redis binary, {@code redis-server} or {@code redis-cli}
     * @return its path
     * @throws IllegalStateException saying how to install it when it is not on the PATH
     */
    static String executable(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " not found on PATH: the Redis tests start their own servers;"
                + " install them with: apt-get install -y redis-server");
    }

    private void launch() {
        try {
            process = new ProcessBuilder(arguments).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + arguments.get(0), e);
        }
        RUNNING.add(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited at start-up with "
                        + process.exitValue() + "; log:\n" + log());
            }
            try (Jedis jedis = jedis()) {
                jedis.ping();
                return;
            } catch (JedisDataException answeredWithError) {
                return; // e.g. NOAUTH from a server with a password: it is up
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("redis-server on port " + port
                            + " did not answer PING within 10 s; log:\n" + log(), notYet);
                }
                pause(20);
            }
        }
    }

    /**
     * @return the server's log files, for failure messages
     */
    String log() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("stdout.log", "redis.log", "sentinel.log")) {
            Path file = dir.resolve(name);
            try {
                if (Files.exists(file)) {
                    text.append(Files.readString(file));
                }
            } catch (IOException e) {
                text.append("(could not read ").append(file).append(")");
            }
        }
        return text.toString();
    }

    /**
     * @return a new single connection to this server; the caller closes it
     */
    Jedis jedis() {
        if (tls != null) {
            return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                    .timeoutMillis(1000).ssl(true).sslSocketFactory(tls).build());
        }
        return new Jedis("127.0.0.1", port, 1000);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * @return {@code redis://127.0.0.1:<port>}
     */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Stops the process by its pid and waits for it to exit.
     */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle != null) {
            handle.destroy();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    /**
     * Starts the server again with the same port, directory and options.
     */
    void restart() {
        stop();
        launch();
    }

    /**
     * Stops several servers at once: each takes a moment to exit, so in turn would be slow.
     *
     * @param servers the servers
     */
    static void stopAll(List<RedisServerProcess> servers) {
        servers.stream().filter(server -> server.process != null).forEach(server -> {
            ProcessHandle.of(server.process.pid()).ifPresent(ProcessHandle::destroy);
        });
        servers.forEach(RedisServerProcess::close);
    }

    /**
     * Stops the server and deletes its directory.
     */
    @Override
    public void close() {
        stop();
        deleteTree(dir);
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }

    /**
     * Reads {@code INFO commandstats}.
     *
     * @return calls per command name, such as {@code get} or {@code client|setinfo}
     */
    Map<String, Long> commandCalls() {
        Map<String, Long> calls = new LinkedHashMap<>();
        try (Jedis jedis = jedis()) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                    String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
                    calls.put(name, Long.parseLong(count));
                }
            }
        }
        return calls;
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
