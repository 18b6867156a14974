package io.sessionkit.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server that can lose one reply: the server has
 * received and run the command, and the connection breaks before the client hears the answer.
 * That is the case a client cannot tell from a command that never arrived, and the one its
 * retries must get right. Everything else is passed through unchanged, byte for byte, so it
 * works for any protocol. Connections are accepted and pumped on daemon threads.
 */
public final class ReplyDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicReference<Runnable> dropNextReply = new AtomicReference<>();

    private ReplyDroppingProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /**
     * @param port the server's port on 127.0.0.1
     * @return a running proxy on a free loopback port
     * @throws UncheckedIOException when it cannot listen
     */
    public static ReplyDroppingProxy to(int port) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            ReplyDroppingProxy proxy = new ReplyDroppingProxy(listener, new InetSocketAddress("127.0.0.1", port));
            Thread acceptor = new Thread(proxy::accept, "proxy-accept-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the port the proxy listens on, to give the client instead of the server's
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * The next answer the server sends, on any connection, is thrown away and that connection
     * closed; {@code meanwhile} runs first, between the server's answer and the client's
     * noticing the broken connection.
     *
     * @param meanwhile what happens in between, such as another client's write
     */
    public void dropNextReply(Runnable meanwhile) {
        dropNextReply.set(meanwhile);
    }

    /**
     * @return whether the reply asked for has been dropped
     */
    public boolean dropped() {
        return dropNextReply.get() == null;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 1000);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    Runnable meanwhile = replies ? dropNextReply.getAndSet(null) : null;
                    if (meanwhile != null) {
                        meanwhile.run();
                        break;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /**
     * Stops accepting connections; open ones end when their client or server closes them.
     */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
