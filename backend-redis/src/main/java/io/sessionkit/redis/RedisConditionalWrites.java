package io.sessionkit.redis;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.VersionedEntry;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Conditional writes on Redis. The version of an entry is a digest of the session's bytes: the
 * first 8 bytes of their SHA-1, computed here when writing and kept in the value's header
 * ({@link RedisStoredValue}), where reads and the scripts find it without hashing the value. It
 * changes whenever the bytes change, whoever wrote them (a blind {@code save} included), and
 * not when only the expiry is refreshed. Two writes of identical bytes have the same version;
 * the engine's records never repeat, since each carries its save count.
 *
 * <ul>
 *   <li>{@link #loadVersioned}: {@code GET}; {@link #loadVersionedAndTouch}: {@code GETEX}.</li>
 *   <li>{@link #create}: {@code SET key value NX PX|EX ttl}.</li>
 *   <li>{@link #replace} and {@link #delete}: a script that reads the version from the header
 *       ({@code GETRANGE}), compares it and writes
 *       ({@code SET ... PX}) or deletes ({@code UNLINK}).</li>
 * </ul>
 * One round trip each, on one key, so they run unchanged on a Cluster and through Sentinel.
 *
 * <p>After a broken connection (see {@link RedisCommands}): reads and the conditional delete are
 * sent again as they are (a delete that ran answers {@code false} the second time: the entry is
 * gone, which is what the engine concludes either way). {@code create} is sent again and, when
 * the key then exists, read back: it is this call's if it holds exactly its bytes, since a new
 * session's random id is known to nobody else. {@code replace} is sent again with the same
 * script, which also says whether the key holds the new bytes' version already: if so the
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

    /**
     * KEYS[1] the session; ARGV: expected version (16 hex digits), the new value with its header,
     * time to live in ms, the new value's version.
     */
    private static final RedisScript REPLACE = RedisScript.of(RedisStoredValue.LUA_VERSION + """
            local current = version(KEYS[1])
            if not current then return 0 end
            if current == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            if current == ARGV[4] then return 2 end
            return 3
            """);

    /** KEYS[1] the session; ARGV: expected version (16 hex digits). */
    private static final RedisScript DELETE = RedisScript.of(RedisStoredValue.LUA_VERSION + """
            if version(KEYS[1]) == ARGV[1] then
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
        return RedisStoredValue.versioned(commands.run("load", jedis -> jedis.get(binaryKey)));
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        byte[] binaryKey = RedisCommands.bytes(key);
        GetExParams expiry = RedisSessionBackend.getExExpiry(timeToLive);
        return RedisStoredValue.versioned(commands.run("load", jedis -> jedis.getEx(binaryKey, expiry)));
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        byte[] binaryKey = RedisCommands.bytes(key);
        byte[] stored = RedisStoredValue.of(value);
        SetParams ifAbsent = RedisSessionBackend.expiry(timeToLive).nx();
        return commands.run("save", jedis -> jedis.set(binaryKey, stored, ifAbsent) != null,
                jedis -> jedis.set(binaryKey, stored, ifAbsent) != null || Arrays.equals(stored, jedis.get(binaryKey)));
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        byte[] binaryKey = RedisCommands.bytes(key);
        byte[] stored = RedisStoredValue.of(value);
        byte[][] arguments = {RedisStoredValue.hex(expectedVersion), stored,
                Long.toString(RedisCommands.millis(timeToLive)).getBytes(StandardCharsets.US_ASCII),
                RedisStoredValue.versionDigits(stored)};
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
        byte[] expected = RedisStoredValue.hex(expectedVersion);
        return commands.run("delete", jedis -> (Long) DELETE.run(jedis, binaryKey, expected) == 1);
    }
}
