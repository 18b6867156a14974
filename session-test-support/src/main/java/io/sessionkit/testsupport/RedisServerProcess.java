package io.sessionkit.testsupport;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import javax.net.ssl.SSLSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A private {@code redis-server} (or Sentinel): 127.0.0.1 only, on a free port whose cluster
 * bus port (+10000) is free too, in a fresh temporary directory, without persistence. Never
 * the machine's shared server, so what it holds and the commands it counts are the caller's.
 * Needs Jedis on the class path.
 */
public final class RedisServerProcess extends StoreServerProcess {

    private static final String INSTALL = "apt-get install -y redis-server";
    private static final String LOG = "redis.log";

    private final SSLSocketFactory tls;

    private RedisServerProcess(ServerProcess process, SSLSocketFactory tls) {
        super(process);
        this.tls = tls;
    }

    /**
     * What a TLS server needs: a certificate that also serves as the trusted CA (servers that
     * talk to each other, replicas and cluster nodes, check it), its key, and a socket factory
     * trusting it for the fixtures' own connections. Clients are not asked for certificates.
     *
     * @param certificate the certificate (PEM)
     * @param key         its private key (PEM)
     * @param trusting    a socket factory that trusts the certificate
     */
    public record Tls(Path certificate, Path key, SSLSocketFactory trusting) {

        /** The options, as {@code name value} pairs, that redis-server and sentinel.conf share. */
        private List<List<String>> options() {
            return List.of(List.of("tls-cert-file", certificate.toString()), List.of("tls-key-file", key.toString()),
                    List.of("tls-ca-cert-file", certificate.toString()), List.of("tls-auth-clients", "no"));
        }

        List<String> serverArguments() {
            List<String> arguments = new ArrayList<>();
            options().forEach(option -> arguments.addAll(List.of("--" + option.get(0), option.get(1))));
            return arguments;
        }

        List<String> configLines() {
            return options().stream().map(option -> String.join(" ", option)).toList();
        }
    }

    /**
     * Starts a standalone server on a free port.
     *
     * @param extraArguments further {@code redis-server} options, such as {@code --requirepass secret}
     * @return the running server
     * @throws IllegalStateException with its log when it does not answer {@code PING}
     */
    public static RedisServerProcess start(String... extraArguments) {
        return start(FreePort.onLoopbackWithCompanion(10_000), extraArguments);
    }

    /**
     * Starts a standalone server.
     *
     * @param port           the port, e.g. from {@link FreePort#onLoopbackWithCompanion(int)}
     * @param extraArguments further {@code redis-server} options, such as {@code --cluster-enabled yes}
     * @return the running server
     * @throws IllegalStateException with its log when it does not answer {@code PING}
     */
    public static RedisServerProcess start(int port, String... extraArguments) {
        List<String> options = new ArrayList<>(List.of("--port", String.valueOf(port)));
        options.addAll(List.of(extraArguments));
        return launch(port, options, null);
    }

    /**
     * Starts a server that speaks only TLS.
     *
     * @param certificate the server's certificate (PEM), also used as the trusted CA
     * @param key         its private key (PEM)
     * @param trusting    a socket factory that trusts the certificate, for {@link #jedis()}
     * @return the running server
     * @throws IllegalStateException with its log when it does not answer {@code PING}
     */
    public static RedisServerProcess startTls(Path certificate, Path key, SSLSocketFactory trusting) {
        return startTls(FreePort.onLoopbackWithCompanion(10_000), new Tls(certificate, key, trusting));
    }

    /**
     * Starts a server that speaks only TLS, to clients and to its master when it is a replica
     * ({@code --tls-replication yes}).
     *
     * @param port           the port, e.g. from {@link FreePort#onLoopbackWithCompanion(int)}; the
     *                       cluster bus of a node with {@code --tls-cluster yes} is this port + 10000
     * @param tls            the certificate, its key and a socket factory trusting it
     * @param extraArguments further {@code redis-server} options, such as {@code --replicaof 127.0.0.1 6380}
     *                       or {@code --cluster-enabled yes --tls-cluster yes}
     * @return the running server
     * @throws IllegalStateException with its log when it does not answer {@code PING} over TLS
     */
    public static RedisServerProcess startTls(int port, Tls tls, String... extraArguments) {
        List<String> options = new ArrayList<>(List.of("--port", "0", "--tls-port", String.valueOf(port),
                "--tls-replication", "yes"));
        options.addAll(tls.serverArguments());
        options.addAll(List.of(extraArguments));
        return launch(port, options, tls.trusting());
    }

    /**
     * Starts a Sentinel that monitors one TLS master (and finds its replicas) over TLS, with a
     * quorum of one.
     *
     * @param masterName    the name to monitor the master under
     * @param masterPort    the master's TLS port at 127.0.0.1
     * @param tls           the certificate, its key and a socket factory trusting it
     * @param clientsOverTls whether the Sentinel itself speaks only TLS to its clients, or only plain text
     * @return the running Sentinel; {@link #jedis()} speaks to it as it listens
     * @throws IllegalStateException with its log when it does not answer {@code PING}
     */
    public static RedisServerProcess startSentinel(String masterName, int masterPort, Tls tls, boolean clientsOverTls) {
        int port = FreePort.onLoopback();
        List<String> listen = new ArrayList<>(clientsOverTls ? List.of("port 0", "tls-port " + port) : List.of("port " + port));
        listen.add("tls-replication yes");
        listen.addAll(tls.configLines());
        SSLSocketFactory clientTls = clientsOverTls ? tls.trusting() : null;
        return new RedisServerProcess(sentinel(masterName, masterPort, port, listen, clientTls), clientTls);
    }

    /**
     * Starts a Sentinel that monitors one master, with a quorum of one.
     *
     * @param masterName the name to monitor the master under
     * @param masterPort the master's port at 127.0.0.1
     * @return the running Sentinel
     * @throws IllegalStateException with its log when it does not answer {@code PING}
     */
    public static RedisServerProcess startSentinel(String masterName, int masterPort) {
        int port = FreePort.onLoopback();
        return new RedisServerProcess(sentinel(masterName, masterPort, port, List.of("port " + port), null), null);
    }

    private static ServerProcess sentinel(String masterName, int masterPort, int port, List<String> listen,
                                          SSLSocketFactory clientTls) {
        return ServerProcess.builder("redis-sentinel", port)
                // Sentinel rewrites its configuration file, so it lives in the server's directory.
                .prepare(directory -> {
                    List<String> lines = new ArrayList<>(listen);
                    lines.addAll(List.of(
                            "bind 127.0.0.1",
                            "dir " + directory,
                            "logfile " + directory.resolve(LOG),
                            "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1",
                            "sentinel down-after-milliseconds " + masterName + " 5000",
                            ""));
                    Files.writeString(directory.resolve("sentinel.conf"), String.join("\n", lines));
                })
                .command(directory -> redisServer().commandLine(
                        List.of(directory.resolve("sentinel.conf").toString(), "--sentinel")))
                .logFiles(LOG)
                .readiness(server -> ping(server.port(), clientTls))
                .start();
    }


    /**
     * @param name a Redis program, {@code redis-server} or {@code redis-cli}
     * @return the program
     * @throws IllegalStateException saying how to install it when it is missing
     */
    static ExternalProgram program(String name) {
        return ExternalProgram.find(name, INSTALL);
    }

    private static ExternalProgram redisServer() {
        return program("redis-server");
    }

    private static RedisServerProcess launch(int port, List<String> options, SSLSocketFactory tls) {
        Function<Path, List<String>> command = directory -> {
            List<String> arguments = new ArrayList<>(List.of("--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", directory.toString(), "--logfile", directory.resolve(LOG).toString()));
            arguments.addAll(options);
            return redisServer().commandLine(arguments);
        };
        ServerProcess server = ServerProcess.builder("redis-server", port)
                .command(command)
                .logFiles(LOG)
                .readiness(started -> ping(started.port(), tls))
                .start();
        return new RedisServerProcess(server, tls);
    }

    private static void ping(int port, SSLSocketFactory tls) {
        try (Jedis jedis = connect(port, tls)) {
            jedis.ping();
        } catch (JedisDataException answeredWithError) {
            // e.g. NOAUTH from a server with a password: it is up
        }
    }

    private static Jedis connect(int port, SSLSocketFactory tls) {
        if (tls != null) {
            return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                    .timeoutMillis(1000).ssl(true).sslSocketFactory(tls).build());
        }
        return new Jedis("127.0.0.1", port, 1000);
    }

    /**
     * @return a new single connection to this server (over TLS for a TLS server); the caller closes it
     */
    public Jedis jedis() {
        return connect(port(), tls);
    }

    /**
     * @return {@code redis://127.0.0.1:<port>}
     */
    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    /**
     * Reads {@code INFO commandstats}.
     *
     * @return calls per command name since start-up, such as {@code get} or {@code client|setinfo};
     *         the {@code info} calls that read them included
     */
    public Map<String, Long> commandCalls() {
        Map<String, Long> calls = new LinkedHashMap<>();
        try (Jedis jedis = jedis()) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                    int start = line.indexOf("calls=") + "calls=".length();
                    calls.put(name, Long.parseLong(line.substring(start, line.indexOf(',', start))));
                }
            }
        }
        return calls;
    }
}
