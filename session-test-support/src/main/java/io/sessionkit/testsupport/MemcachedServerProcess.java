package io.sessionkit.testsupport;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A private {@code memcached} on a free port at 127.0.0.1, in a fresh temporary directory.
 * It can be stopped, suspended and started again on the same port (empty) to play an outage,
 * and looked into over the text protocol, independently of the client under test.
 */
public final class MemcachedServerProcess extends StoreServerProcess {

    private MemcachedServerProcess(ServerProcess process) {
        super(process);
    }

    /**
     * Starts a server with 64 MB of memory, TCP only.
     *
     * @param extraArguments further memcached options, such as {@code "-I", "512k"}
     * @return the running server, answering {@code stats}
     * @throws IllegalStateException with its output when it does not start
     */
    public static MemcachedServerProcess start(String... extraArguments) {
        int port = FreePort.onLoopback();
        List<String> arguments = new ArrayList<>(List.of("-l", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "0", "-m", "64", "-c", "256",
                // memcached refuses to run as root without -u; as any other user -u is ignored.
                "-u", System.getProperty("user.name")));
        arguments.addAll(List.of(extraArguments));
        ExternalProgram memcached = ExternalProgram.find("memcached", "apt-get install -y memcached");
        return new MemcachedServerProcess(ServerProcess.builder("memcached", port)
                .command(directory -> memcached.commandLine(arguments))
                .readiness(server -> stats(server.port()))
                .start());
    }

    /**
     * @return {@code 127.0.0.1:port}, as {@code SESSION_MEMCACHED} takes it
     */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /**
     * @return the address to hand a memcached client
     */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    /**
     * @return the number of items the server holds now ({@code stats}: {@code curr_items})
     */
    public long itemCount() {
        return Long.parseLong(stats().get("curr_items"));
    }

    /**
     * Reads {@code stats} over the text protocol.
     *
     * @return every statistic by name, such as {@code cmd_get} or {@code curr_items}
     */
    public Map<String, String> stats() {
        return stats(port());
    }

    /**
     * Asks the server how long an item has left to live ({@code mg <key> t}).
     *
     * @param key the key
     * @return the remaining seconds, -1 for never, or {@code null} when the server holds no such item
     */
    public Long timeToLiveSeconds(String key) {
        String answer;
        try (Socket socket = connect(port())) {
            socket.getOutputStream().write(("mg " + key + " t\r\n").getBytes(StandardCharsets.UTF_8));
            answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("memcached on " + address() + " did not answer 'mg'", e);
        }
        if ("EN".equals(answer)) {
            return null;
        }
        if (answer == null || !answer.startsWith("HD t")) {
            throw new IllegalStateException("unexpected answer to 'mg': " + answer);
        }
        return Long.parseLong(answer.substring("HD t".length()));
    }

    /**
     * @param key the key
     * @return whether this server holds the item
     */
    public boolean holds(String key) {
        return timeToLiveSeconds(key) != null;
    }

    /**
     * An item as the server holds it.
     *
     * @param flags the client's flags
     * @param data  the stored bytes
     */
    public record Item(int flags, byte[] data) {
    }

    /**
     * Reads one item over the text protocol.
     *
     * @param key the key
     * @return the item, or {@code null} when absent
     */
    public Item rawItem(String key) {
        try (Socket socket = connect(port())) {
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

    private static Map<String, String> stats(int port) {
        Map<String, String> stats = new HashMap<>();
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null && !line.equals("END"); line = in.readLine()) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3 && parts[0].equals("STAT")) {
                    stats.put(parts[1], parts[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("memcached on 127.0.0.1:" + port + " did not answer 'stats'", e);
        }
        return stats;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
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
}
