package io.sessionkit.bench.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The load test's server: the {@link CartServlet} in embedded Jetty on 127.0.0.1, in one
 * {@link BenchMode}, with sessions of one {@link SessionSize}. After start it creates the
 * visitors' sessions through its own HTTP interface ({@code GET /cart/seed}), writes their
 * cookies to a file, one {@code name=value} a line, for the load generator, and prints
 * {@code READY <pid>}.
 *
 * <pre>
 * java -cp benchmarks.jar io.sessionkit.bench.http.CartServer --mode=sessionkit-redis --port=8080 \
 *     --cookies=cookies.txt --sessions=1000 --size=cart5 --redis-port=6390
 * </pre>
 * Runs until killed; Jetty stops on SIGTERM. A server with other modes (another classpath) calls
 * {@link #serve(String[], Function)} with its own.
 */
public final class CartServer {

    private CartServer() {
    }

    /**
     * @param args {@code --mode --port --cookies --sessions --size} and, as the mode needs them,
     *             {@code --redis-port --memcached-port --file-dir --jdbc-url}
     * @throws Exception when the server cannot start or the sessions cannot be created
     */
    public static void main(String[] args) throws Exception {
        serve(args, BenchMode::byLabel);
    }

    /**
     * Serves one mode until killed.
     *
     * @param args  as for {@link #main(String[])}
     * @param modes the mode of a {@code --mode} label; throws {@code IllegalArgumentException}
     *              naming the known modes for an unknown one
     * @throws Exception when the server cannot start or the sessions cannot be created
     */
    public static void serve(String[] args, Function<String, ? extends CartMode> modes) throws Exception {
        Map<String, String> options = options(args);
        CartMode mode = modes.apply(required(options, "mode"));
        SessionSize size = SessionSize.byLabel(options.getOrDefault("size", SessionSize.CART5.label()));
        int port = Integer.parseInt(required(options, "port"));
        Path cookieFile = Path.of(required(options, "cookies"));
        int sessions = Integer.parseInt(options.getOrDefault("sessions", "1000"));
        StoreAddresses stores = new StoreAddresses(integer(options.get("redis-port")),
                integer(options.get("memcached-port")), options.get("file-dir"), options.get("jdbc-url"));

        List<AutoCloseable> resources = new ArrayList<>();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // Jetty caches request header fields per connection, which pays when a connection is one
        // browser resending the same cookie. Here every request carries another visitor's cookie,
        // so the cache overflows and is cleared (an Arrays.fill of the whole trie) on nearly every
        // request: a third of all CPU samples in a profile of every mode, none of it a session's cost.
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(mode.context(stores, size, resources));
        server.setStopAtShutdown(true);
        server.start();

        Files.write(cookieFile, new SessionSeeder(port).seed(sessions));
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        server.join();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("arguments are --name=value, not '" + arg + "'");
            }
            options.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + "=... is required");
        }
        return value;
    }

    private static Integer integer(String value) {
        return value == null ? null : Integer.valueOf(value);
    }
}
