package io.sessionkit.redis;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.VersionedEntry;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Conditional writes on Redis. A session key holds only the session's bytes, so the version of
 * an entry is a digest of them: the first 8 bytes of their SHA-1, computed here on every read
 * (no extra round trip) and by the scripts with {@code redis.sha1hex} (the first 16 hexadecimal
 * digits, the same number). It changes whenever the bytes change, whoever wrote them (a blind
 * {@code save} included), and not when only the expiry is refreshed. Two writes of identical
 * bytes have the same version; the engine's records never repeat, since each carries its save
 * count.
 *
 * <ul>
 *   <li>{@link #loadVersioned}: {@code GET}; {@link #loadVersionedAndTouch}: {@code GETEX}.</li>
 *   <li>{@link #create}: {@code SET key value NX PX|EX ttl}.</li>
 *   <li>{@link #replace} and {@link #delete}: a script that compares the version and writes
 *       ({@code SET ... PX}) or deletes ({@code UNLINK}).</li>
 * </ul>
 * One round trip each, on one key, so they run unchanged on a Cluster and through Sentinel.
 *
 * <p>After a broken connection (see {@link RedisCommands}): reads and the conditional delete are
 * sent again as they are (a delete that ran answers {@code false} the second time: the entry is
 * gone, which is what the engine concludes either way). {@code create} is sent again and, when
 * the key then exists, read back: it is this call's if it holds exactly its bytes, since a new
 * session's random id is known to nobody else. {@code replace} is sent again with the same
 * script, which also says whether the key holds exactly the new bytes already: if so the
 * first attempt ran; if the key holds a third version, the first attempt may have run and been
 * overwritten since, or not have run at all, and telling the engine "stale" could make it apply
 * this request's changes a second time over a later request's, so the save fails with a
 * {@link io.sessionkit.SessionBackendException} instead. Thread-safe.
 */
final class RedisConditionalWrites implements ConditionalWrites {

    /** Answers of {@link #REPLACE}. */
    private static final long ABSENT = 0;
    private static final long REPLACED = 1;
    private static final long ALREADY_THESE_BYTES = 2;

    /** KEYS[1] the session; ARGV: expected version (16 hex digits), new bytes, time to live in ms. */
    private static final RedisScript REPLACE = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if not current then return 0 end
            if string.sub(redis.sha1hex(current), 1, 16) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            if current == ARGV[2] then return 2 end
            return 3
            """);

    /** KEYS[1] the session; ARGV: expected version (16 hex digits). */
    private static final RedisScript DELETE = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if current and string.sub(redis.sha1hex(current), 1, 16) == ARGV[1] then
              redis.call('UNLINK', KEYS[1])
              return 1
            end
            return 0
            """);

    private final RedisCommands commands;

    /**
     * @param commands the backend's commands
     */
    RedisConditionalWrites(RedisCommands commands) {
        this.commands = commands;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        byte[] binaryKey = RedisCommands.bytes(key);
        return versioned(commands.run("load", jedis -> jedis.get(binaryKey)));
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        byte[] binaryKey = RedisCommands.bytes(key);
        GetExParams expiry = RedisSessionBackend.getExExpiry(timeToLive);
        return versioned(commands.run("load", jedis -> jedis.getEx(binaryKey, expiry)));
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        byte[] binaryKey = RedisCommands.bytes(key);
        SetParams ifAbsent = RedisSessionBackend.expiry(timeToLive).nx();
        return commands.run("save", jedis -> jedis.set(binaryKey, value, ifAbsent) != null,
                jedis -> jedis.set(binaryKey, value, ifAbsent) != null || Arrays.equals(value, jedis.get(binaryKey)));
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        byte[] binaryKey = RedisCommands.bytes(key);
        byte[][] arguments = {hex(expectedVersion), value,
                Long.toString(RedisCommands.millis(timeToLive)).getBytes(StandardCharsets.US_ASCII)};
        // Sent once, only REPLACED is a success: a key that already holds exactly these bytes was
        // written by another request that made the same change from the same version (a double
        // submit, say), which the engine must see as a conflict, for SESSION_CONFLICT=fail.
        return commands.run("save", jedis -> (Long) REPLACE.run(jedis, binaryKey, arguments) == REPLACED, jedis -> {
            long answer = (Long) REPLACE.run(jedis, binaryKey, arguments);
            if (answer == REPLACED || answer == ALREADY_THESE_BYTES) {
                return true;
            }
            if (answer == ABSENT) {
                return false;
            }
            throw commands.failure("save", "the connection broke while saving a session, and another request saved"
                    + " it before this one could check whether its save had been stored, so it may or may not have"
                    + " been; nothing more was written");
        });
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        byte[] binaryKey = RedisCommands.bytes(key);
        byte[] expected = hex(expectedVersion);
        return commands.run("delete", jedis -> (Long) DELETE.run(jedis, binaryKey, expected) == 1);
    }

    /**
     * @param value an entry's bytes
     * @return its version: the first 8 bytes of its SHA-1, big-endian, as the scripts compute it
     */
    static long versionOf(byte[] value) {
        return ByteBuffer.wrap(RedisScript.sha1(value)).getLong();
    }

    /** The version as the scripts compare it: the first 16 hexadecimal digits of the SHA-1, lower case. */
    private static byte[] hex(long version) {
        return HexFormat.of().toHexDigits(version).getBytes(StandardCharsets.US_ASCII);
    }

    private static VersionedEntry versioned(byte[] value) {
        return value == null ? null : new VersionedEntry(value, versionOf(value));
    }
}
