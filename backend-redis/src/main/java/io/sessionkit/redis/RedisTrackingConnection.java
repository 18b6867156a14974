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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one connection of a {@link RedisInvalidationFeed}. One thread blocks reading what the server
 * pushes while another sends a {@code PING} now and then, so that a connection that died without
 * a word is noticed (Jedis's own connections flush only before reading, hence this subclass,
 * which flushes the ping itself).
 *
 * <p>It also tells, from any thread and without a round trip, whether the messages received so
 * far have been told ({@link #caughtUp()}), or those received up to a {@linkplain #mark() mark}
 * ({@link #toldUpTo(Mark)}). Bytes are either still in the socket (the operating system says how
 * many), or taken out of it by the reading thread, which counts them as announced before the last
 * byte of a read leaves the socket, and as told once every message they held has been told. Jedis's
 * own buffer cannot be watched from another thread, so every read goes through this connection's
 * own buffer over a watched stream. A TLS socket tells only what it has decrypted, so the feed is
 * for plain connections.
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

    /** Looks at the socket at most this often for a mark taken while no read is announced. */
    private static final int MARK_TRIES = 8;

    private final SocketKeeper sockets;
    private CountedInput watched;
    private WatchedInput watchedInput;
    /** Bytes taken from the socket; the reading thread's alone. */
    private long taken;
    /** Bytes taken or about to be taken from the socket, counted before the last of a read leaves it. */
    private volatile long announced;
    /** Bytes of the messages told so far. */
    private volatile long told;
    /** Pings sent, counted before each one leaves. */
    private final AtomicLong pingsSent = new AtomicLong();
    /** Answers of pings read. */
    private final AtomicLong pingsAnswered = new AtomicLong();
    /** Bytes received by the time the last ping's answer was read: what came in the same write. */
    private volatile long answerReach;

    /**
     * A point in what the server has sent: {@code bytes} of messages, and the number of pings whose
     * answers, with what came in the same write, must be told too ({@code 0} when none was
     * unanswered), since a telling may wait behind an answer.
     */
    record Mark(long bytes, long pings) {
    }

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
            watched = new CountedInput(watchedInput);
        }
        return super.protocolRead(watched);
    }

    /**
     * The messages read so far have been told. Called by the reading thread, which alone sees its
     * buffer as it is: what Jedis has not parsed of it is still to be told.
     */
    void told() {
        told = taken - watched.unread();
    }

    /**
     * @return whether every message the server sent has been read and told: none is being told,
     *         none waits in the socket and no ping is unanswered
     */
    boolean caughtUp() {
        WatchedInput input = watchedInput;
        if (input == null) {
            return false;
        }
        try {
            // The socket first: bytes that left it after this look were announced before the last
            // of their message left it, so the look at the counts below sees them.
            return pingsAnswered.get() == pingsSent.get() && input.inSocket() == 0 && told == announced;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Marks what the server has sent so far, for {@link #toldUpTo(Mark)}: the bytes announced plus
     * those still in the socket, and the pings sent when one is still unanswered. A mark may lie
     * past what was sent (then it is told only once more has come), never before it.
     *
     * @return the mark, or {@code null} before the connection reads through its own buffer or
     *         when the socket cannot say what it holds
     */
    Mark mark() {
        long pings = pingsSent.get();
        if (pingsAnswered.get() >= pings) {
            pings = 0;
        }
        long bytes = received();
        return bytes < 0 ? null : new Mark(bytes, pings);
    }

    /**
     * @return the bytes received so far, counted as {@link #mark()} says, or {@code -1} before the
     *         connection reads through its own buffer or when the socket cannot say what it holds
     */
    private long received() {
        WatchedInput input = watchedInput;
        if (input == null) {
            return -1;
        }
        try {
            for (int tries = 0; tries < MARK_TRIES; tries++) {
                long before = announced;
                int inSocket = input.inSocket();
                if (announced == before) {
                    // While the count stood still, the socket held what follows it: or, once the
                    // reader took a read's first byte and has yet to announce it, all but that
                    // byte, whose message ends in the socket, so told bytes reach past it only
                    // when that message has been told.
                    return before + inSocket;
                }
            }
            // Reads were announced meanwhile. The socket first, the count after: what the socket
            // held lies before the later count plus one byte read but not yet announced.
            int inSocket = input.inSocket();
            return announced + inSocket + 1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * @return whether every message up to {@code mark} has been told, and the pings unanswered by
     *         then answered and told with everything that came with their answers
     */
    boolean toldUpTo(Mark mark) {
        if (mark.pings() == 0) {
            return told >= mark.bytes();
        }
        // The count first: the reach of the answers it counts was set before it.
        return pingsAnswered.get() >= mark.pings() && told >= Math.max(mark.bytes(), answerReach);
    }

    /**
     * Sends a {@code PING}; its answer arrives among the pushed messages, and the connection is not
     * {@linkplain #caughtUp() caught up} until the reading thread says it was read
     * ({@link #pingAnswered()}).
     */
    synchronized void sendPing() {
        pingsSent.incrementAndGet();
        sendCommand(Protocol.Command.PING);
        flush();
    }

    /**
     * The answer of a ping was read; called by the reading thread before it says {@link #told()}.
     * A telling that waited behind the ping left the server in the same write as the answer, so
     * it has been received too: a mark that waited for the answer waits for what was received
     * with it.
     */
    void pingAnswered() {
        long bytes = received();
        answerReach = bytes < 0 ? Long.MAX_VALUE : bytes;
        pingsAnswered.incrementAndGet();
    }

    /** Jedis's buffer, saying how much of it is still to be parsed. */
    private static final class CountedInput extends RedisInputStream {

        CountedInput(InputStream in) {
            super(in);
        }

        int unread() {
            return limit - count;
        }
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

    /** The socket's stream, counting the bytes its reader takes before the last of them leaves the socket. */
    private final class WatchedInput extends FilterInputStream {

        WatchedInput(InputStream in) {
            super(in);
        }

        /**
         * Takes one byte first, blocking, and announces it with the rest the socket holds before
         * taking them: a message is never shorter than two bytes and arrives whole, so until the
         * announcement part of it is still in the socket, where {@link #mark()} looks.
         */
        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int first = in.read(buffer, offset, 1);
            if (first <= 0) {
                return first;
            }
            int rest = Math.min(in.available(), length - 1);
            announced = taken + 1 + Math.max(0, rest);
            int read = 1 + (rest <= 0 ? 0 : Math.max(0, in.read(buffer, offset + 1, rest)));
            taken += read;
            return read;
        }

        @Override
        public int read() throws IOException {
            int read = in.read();
            if (read >= 0) {
                announced = ++taken;
            }
            return read;
        }

        int inSocket() throws IOException {
            return in.available();
        }
    }
}
