package io.sessionkit.memcached;

import io.sessionkit.SessionStoreException;
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the spymemcached client used when the application hands none in.
 *
 * <ul>
 *   <li>Binary protocol, and consistent (Ketama) hashing, so adding or removing a server moves
 *       only that server's share of sessions, and other clients using Ketama place keys alike.</li>
 *   <li>{@link FailureMode#Redistribute}: while a server is down, its keys go to the next live
 *       server on the ring. Sessions it held load as absent (users get a fresh session, no
 *       error) and new sessions are written to the live servers, at the speed of a miss rather
 *       than after the timeout. {@code Retry} would make every request for those sessions wait
 *       the whole timeout; {@code Cancel} would fail them. When every server is down, operations
 *       wait for the first server and fail with a {@link SessionStoreException} after the
 *       timeout.</li>
 *   <li>A lost server is reconnected every {@value #RECONNECT_DELAY_SECONDS} s at most, so a
 *       restarted server is used again within seconds.</li>
 *   <li>Queueing an operation waits no longer than the operation timeout, and the I/O thread is
 *       a daemon, so an application that forgets {@code close()} still exits.</li>
 * </ul>
 */
final class MemcachedClientFactory {

    static final long RECONNECT_DELAY_SECONDS = 2;

    private MemcachedClientFactory() {
    }

    /**
     * @param nodes   the servers
     * @param timeout the operation timeout
     * @return a client connected to every server that answered within the timeout; a server
     *         that did not is not an error here, the client keeps connecting in the background
     */
    static MemcachedClient connect(List<InetSocketAddress> nodes, Duration timeout) {
        long timeoutMillis = Math.max(1, timeout.toMillis());
        ConnectionFactory factory = new ConnectionFactoryBuilder()
                .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
                .setLocatorType(ConnectionFactoryBuilder.Locator.CONSISTENT)
                .setHashAlg(DefaultHashAlgorithm.KETAMA_HASH)
                .setFailureMode(FailureMode.Redistribute)
                .setOpTimeout(timeoutMillis)
                .setOpQueueMaxBlockTime(timeoutMillis)
                .setMaxReconnectDelay(RECONNECT_DELAY_SECONDS)
                .setDaemon(true)
                .build();
        MemcachedClient client;
        try {
            client = new MemcachedClient(factory, nodes);
        } catch (IOException e) {
            throw new SessionStoreException(MemcachedSessionBackend.STORE, "connect",
                    "could not create a client for " + nodes + ": " + e.getMessage(), e);
        }
        awaitConnections(client, nodes.size(), timeoutMillis);
        return client;
    }

    /**
     * Connections open in the background; until they do, every operation takes spymemcached's
     * fallback path, which is slower and logs a warning naming the key (a session id).
     */
    private static void awaitConnections(MemcachedClient client, int nodes, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (client.getAvailableServers().size() < nodes && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
