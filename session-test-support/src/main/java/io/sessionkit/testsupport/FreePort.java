package io.sessionkit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds ports on 127.0.0.1 that nobody listened on a moment ago. Another process may take the
 * port before the caller binds it; for a test machine that is rare enough.
 */
public final class FreePort {

    private static final int ATTEMPTS = 50;

    private FreePort() {
    }

    /**
     * @return a free port on 127.0.0.1
     * @throws UncheckedIOException when the operating system gives none
     */
    public static int onLoopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /**
     * A free port whose companion {@code port + offset} is free too, as a Redis Cluster node
     * needs for its bus ({@code +10000}).
     *
     * @param offset the distance to the companion port, positive
     * @return a free port on 127.0.0.1 whose companion is free as well
     * @throws IllegalStateException when no such pair turns up in a few attempts
     */
    public static int onLoopbackWithCompanion(int offset) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = onLoopback();
            if (port + offset <= 65_535 && isFree(port + offset)) {
                return port;
            }
        }
        throw new IllegalStateException("no free pair of ports (p, p+" + offset + ") found on 127.0.0.1 in "
                + ATTEMPTS + " attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
