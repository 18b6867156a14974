package io.sessionkit.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.RedisInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one connection of a {@link RedisInvalidationFeed}. One thread blocks reading what the server
 * pushes while another sends a {@code PING} now and then, so that a connection that died without
 * a word is noticed (Jedis's own connections flush only before reading, hence this subclass,
 * which flushes the ping itself).
 *
 * <p>It also tells whether anything received is still to be told ({@link #caughtUp()}), from any
 * thread and without a round trip. Bytes are either still in the socket (the operating system
 * says how many), or taken out of it by the reading thread, which marks itself as holding them
 * before the last byte of a message leaves the socket, and until it has told every message they
 * held. Jedis's own buffer cannot be watched from another thread, so every read goes through this
 * connection's own buffer over a watched stream. A TLS socket tells only what it has decrypted,
 * so the feed is for plain connections.
 *
 * <p>Nor is it caught up while a {@code PING} is unanswered. Redis writes a change's telling before
 * the writer's answer only when the telling's connection had nothing else to send in that turn of
 * its event loop: it writes to connections in the reverse order in which they first had something
 * to send. A {@code PING} run in the same turn before the writer's command puts this connection
 * behind the writer, so the writer's answer, and the browser's next request to this node, can come
 * before the telling. The telling then leaves Redis in the same write as the ping's answer, after
 * it, so it has arrived, or is held, once the answer is read.
 */
final class RedisTrackingConnection extends Connection {

    private final SocketKeeper sockets;
    private RedisInputStream watched;
    private WatchedInput watchedInput;
    /** Set when bytes leave the socket, cleared once every message they held has been told. */
    private volatile boolean holding;
    /** Pings sent whose answers have not been told, counted before each ping leaves. */
    private final AtomicInteger unansweredPings = new AtomicInteger();

    RedisTrackingConnection(HostAndPort server, JedisClientConfig config) {
        this(new SocketKeeper(new DefaultJedisSocketFactory(server, config)), config);
    }

    private RedisTrackingConnection(SocketKeeper sockets, JedisClientConfig config) {
        super(sockets, config);
        this.sockets = sockets;
    }

    @Override
    protected Object protocolRead(RedisInputStream jedisBuffer) {
        if (sockets == null) {
            // Still in Jedis's constructor, which connects and reads the handshake's answers; the
            // server sends nothing unasked, so its buffer is empty once they are read.
            return super.protocolRead(jedisBuffer);
        }
        if (watched == null) {
            try {
                watchedInput = new WatchedInput(sockets.socket.getInputStream());
            } catch (IOException e) {
                throw new JedisConnectionException(e);
            }
            watched = new RedisInputStream(watchedInput);
        }
        return super.protocolRead(watched);
    }

    /**
     * The messages read so far have been told: unless more wait in the buffer, nothing is held.
     * Called by the reading thread, which alone sees its buffer as it is.
     */
    void told() {
        try {
            holding = watched.available() > 0;
        } catch (IOException e) {
            holding = true; // a broken socket: nothing is caught up, and the next read says why
        }
    }

    /**
     * @return whether every message the server sent has been read and told: none is being told,
     *         and none waits in the socket
     */
    boolean caughtUp() {
        WatchedInput input = watchedInput;
        if (input == null) {
            return false;
        }
        try {
            // The socket first: bytes that left it after this look are marked as held before the
            // last of their message leaves it, so the look at the mark below sees them.
            return unansweredPings.get() == 0 && input.inSocket() == 0 && !holding;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends a {@code PING}; its answer arrives among the pushed messages, and the connection is not
     * {@linkplain #caughtUp() caught up} until the reading thread says it was read
     * ({@link #pingAnswered()}).
     */
    synchronized void sendPing() {
        unansweredPings.incrementAndGet();
        sendCommand(Protocol.Command.PING);
        flush();
    }

    /** The answer of a ping was read; called by the reading thread before it says {@link #told()}. */
    void pingAnswered() {
        unansweredPings.decrementAndGet();
    }

    /** Keeps the socket the connection opens, so that its stream can be watched. */
    private static final class SocketKeeper implements JedisSocketFactory {
        private final JedisSocketFactory factory;
        private volatile Socket socket;

        SocketKeeper(JedisSocketFactory factory) {
            this.factory = factory;
        }

        @Override
        public Socket createSocket() {
            socket = factory.createSocket();
            return socket;
        }
    }

    /** The socket's stream, marking its reader as holding bytes the moment they leave the socket. */
    private final class WatchedInput extends FilterInputStream {

        WatchedInput(InputStream in) {
            super(in);
        }

        /**
         * Takes one byte first, blocking, and marks the reader as holding bytes before it takes the
         * rest: a message is never shorter than two bytes and arrives whole, so until the mark is
         * set part of it is still in the socket, where {@link #caughtUp()} looks first.
         */
        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int first = in.read(buffer, offset, 1);
            if (first <= 0) {
                return first;
            }
            holding = true;
            int rest = Math.min(in.available(), length - 1);
            if (rest <= 0) {
                return 1;
            }
            return 1 + Math.max(0, in.read(buffer, offset + 1, rest));
        }

        @Override
        public int read() throws IOException {
            int read = in.read();
            if (read >= 0) {
                holding = true;
            }
            return read;
        }

        int inSocket() throws IOException {
            return in.available();
        }
    }
}
