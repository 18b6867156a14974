package io.sessionkit.memcached;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.BackendClient;
import net.spy.memcached.BinaryConnectionFactory;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.FailureMode;
import net.spy.memcached.HashAlgorithm;
import net.spy.memcached.KetamaNodeLocator;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.MemcachedNode;
import net.spy.memcached.NodeLocator;

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
 *       only that server's share of sessions, and other Ketama clients place keys alike.</li>
 *   <li>{@link FailureMode#Redistribute}: while a server is down, its keys go to another live
 *       server, the same one from every client ({@link ExhaustiveKetamaNodeLocator}). Sessions
 *       it held load as absent (users get a fresh session, no error) and new sessions are
 *       written to the live servers, at the speed of a miss rather than after the timeout.
 *       {@code Retry} would make every request for those sessions wait the whole timeout;
 *       {@code Cancel} would fail them. When every server is down, operations wait for the
 *       key's own server and fail with a {@link SessionBackendException} after the timeout.</li>
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
     * @return a client connected to every server that answered within the timeout, shut down
     *         (waiting at most the timeout) when closed; a server that did not answer is not an
     *         error here, the client keeps connecting in the background
     */
    static BackendClient<MemcachedClient> connect(List<InetSocketAddress> nodes, Duration timeout) {
        long timeoutMillis = Math.max(1, timeout.toMillis());
        RedactingSpyLogger.install(); // before the client's first log line
        MemcachedClient client;
        try {
            client = new MemcachedClient(new SessionConnectionFactory(timeoutMillis), nodes);
        } catch (IOException e) {
            throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, "connect",
                    "could not create a client for " + nodes + ": " + e.getMessage(), e);
        }
        awaitConnections(client, nodes.size(), timeoutMillis);
        return BackendClient.owned(client, owned -> owned.shutdown(timeoutMillis, TimeUnit.MILLISECONDS));
    }

    /**
     * Whether a client speaks the binary protocol, which get-and-touch, delete-with-CAS and so
     * the conditional writes and locks need; the client SessionKit builds does. spymemcached
     * does not say which protocol a client speaks, so this asks it to queue a get-and-touch of
     * the empty key: its text protocol refuses to build the operation, its binary protocol
     * builds it and then refuses the empty key. Either way nothing is sent.
     *
     * @param client a client, typically handed in by the application
     * @return {@code true} for the binary protocol, {@code false} for the text protocol
     */
    static boolean speaksBinary(MemcachedClient client) {
        try {
            client.asyncGetAndTouch("", 0);
        } catch (UnsupportedOperationException textProtocol) {
            return false;
        } catch (IllegalArgumentException emptyKeyRefused) {
            return true;
        }
        return true;
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

    /**
     * spymemcached's settings for sessions. A subclass rather than {@code ConnectionFactoryBuilder},
     * whose consistent-hashing locator cannot be replaced.
     */
    private static final class SessionConnectionFactory extends BinaryConnectionFactory {

        private static final HashAlgorithm KETAMA = DefaultHashAlgorithm.KETAMA_HASH;

        private final long timeoutMillis;

        SessionConnectionFactory(long timeoutMillis) {
            super(DEFAULT_OP_QUEUE_LEN, DEFAULT_READ_BUFFER_SIZE, KETAMA);
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public NodeLocator createLocator(List<MemcachedNode> nodes) {
            return new ExhaustiveKetamaNodeLocator(new KetamaNodeLocator(nodes, KETAMA));
        }

        @Override
        public FailureMode getFailureMode() {
            return FailureMode.Redistribute;
        }

        @Override
        public long getOperationTimeout() {
            return timeoutMillis;
        }

        @Override
        public long getOpQueueMaxBlockTime() {
            return timeoutMillis;
        }

        @Override
        public long getMaxReconnectDelay() {
            return RECONNECT_DELAY_SECONDS;
        }

        @Override
        public boolean isDaemon() {
            return true;
        }
    }
}
