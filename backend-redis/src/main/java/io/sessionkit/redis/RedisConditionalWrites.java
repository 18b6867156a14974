package io.sessionkit.redis;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.VersionedEntry;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

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
 *   <li>{@link #replace}: on one server and through Sentinel, the new value is staged under a key
 *       of its own ({@code SET <key>:saving:<new version> value PX 60000}), pipelined with a
 *       script that reads the session's version from its header ({@code GETRANGE}), compares
 *       it and moves the staged key over the session ({@code RENAME}, {@code PEXPIRE}), or
 *       drops it. The value never passes through Lua: handing 16 KB into a script and back to
 *       {@code SET} was more than half of the server's time for a save. On a Cluster and through
 *       a client handed in, where a pipeline may not reach the key's server (see
 *       {@link RedisExpiryReportingLoad}) and the two keys may not share a slot, and should the
 *       staged key be gone when the script runs, one script compares and writes
 *       ({@code SET ... PX}).</li>
 *   <li>{@link #delete}: a script that compares the version and deletes ({@code UNLINK}).</li>
 * </ul>
 * One round trip each. A staged key outlives its save only when the connection breaks between
 * its two commands, and expires within a minute. Its name, under the session's, is no session
 * id, so listing and expiry events pass it by, and an ACL that lets SessionKit at its prefix lets
 * it at the staged keys. The name holds the new bytes' version, so two saves that stage under one
 * name stage the same bytes and a rename never moves another save's value; a save that finds its
 * staged key gone (taken or dropped by the other) writes by the one script.
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

    /** Answer of {@link #RENAME_OVER} when the staged key is not there. */
    private static final long STAGED_VALUE_GONE = 4;
    private static final byte[] STAGED_INFIX = ":saving:".getBytes(StandardCharsets.US_ASCII);
    private static final SetParams STAGED_EXPIRY = SetParams.setParams().px(60_000);

    /**
     * KEYS[1] the session, KEYS[2] the staged new value with its header; ARGV: expected version,
     * time to live in ms, the new value's version. Answers as {@link #REPLACE}, or
     * {@link #STAGED_VALUE_GONE} when the rename finds no staged key (Redis's only error for it);
     * the staged key is gone afterwards.
     */
    static final RedisScript RENAME_OVER = RedisScript.of(RedisStoredValue.LUA_VERSION + """
            local current = version(KEYS[1])
            if current and current == ARGV[1] then
              if redis.pcall('RENAME', KEYS[2], KEYS[1])['err'] then return 4 end
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            redis.call('UNLINK', KEYS[2])
            if not current then return 0 end
            if current == ARGV[3] then return 2 end
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
    private final boolean pipelines;

    /**
     * @param commands  the backend's commands
     * @param pipelines {@link RedisClient#pipelines()}: whether to stage a new value, else write it by
     *                  a script
     */
    RedisConditionalWrites(RedisCommands commands, boolean pipelines) {
        this.commands = commands;
        this.pipelines = pipelines;
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
        byte[] millis = Long.toString(RedisCommands.millis(timeToLive)).getBytes(StandardCharsets.US_ASCII);
        Replacement replacement = new Replacement(RedisCommands.bytes(key), RedisStoredValue.hex(expectedVersion),
                RedisStoredValue.of(value), millis);
        // Sent once, only REPLACED is a success: a key that already holds exactly these bytes was
        // written by another request that made the same change from the same version (a double
        // submit, say), which the engine must see as a conflict, for SESSION_CONFLICT=fail.
        return commands.run("save", jedis -> replace(jedis, replacement) == REPLACED, jedis -> {
            long answer = replace(jedis, replacement);
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

    private long replace(UnifiedJedis jedis, Replacement replacement) {
        if (pipelines) {
            long answer = renameOver(jedis, replacement);
            if (answer != STAGED_VALUE_GONE) {
                return answer;
            }
        }
        return (Long) REPLACE.run(jedis, replacement.key(), replacement.expectedVersion(), replacement.stored(),
                replacement.millis(), replacement.newVersion());
    }

    /**
     * Stages the new value and has {@link #RENAME_OVER} move it over the session, in one round trip.
     *
     * @return the script's answer
     */
    private static long renameOver(UnifiedJedis jedis, Replacement replacement) {
        byte[] staged = stagedKey(replacement);
        List<byte[]> keys = List.of(replacement.key(), staged);
        List<byte[]> arguments = List.of(replacement.expectedVersion(), replacement.millis(), replacement.newVersion());
        Response<String> staging;
        Response<Object> answer;
        try (AbstractPipeline pipeline = jedis.pipelined()) {
            staging = pipeline.set(staged, replacement.stored(), STAGED_EXPIRY);
            answer = RENAME_OVER.queue(pipeline, keys, arguments);
            pipeline.sync();
        }
        staging.get();
        return (Long) RENAME_OVER.answer(answer, jedis, keys, arguments);
    }

    /** @return where {@link #renameOver} stages the new value: the session key, {@code :saving:}, the new version */
    static byte[] stagedKey(Replacement replacement) {
        byte[] version = replacement.newVersion();
        byte[] staged = Arrays.copyOf(replacement.key(), replacement.key().length + STAGED_INFIX.length + version.length);
        System.arraycopy(STAGED_INFIX, 0, staged, replacement.key().length, STAGED_INFIX.length);
        System.arraycopy(version, 0, staged, replacement.key().length + STAGED_INFIX.length, version.length);
        return staged;
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        byte[] binaryKey = RedisCommands.bytes(key);
        byte[] expected = RedisStoredValue.hex(expectedVersion);
        return commands.run("delete", jedis -> (Long) DELETE.run(jedis, binaryKey, expected) == 1);
    }

    /**
     * A conditional replace, as the scripts take it.
     *
     * @param key             the session key
     * @param expectedVersion the version it must hold, as 16 hexadecimal digits
     * @param stored          the new value with its header ({@link RedisStoredValue#of})
     * @param millis          the time to live in milliseconds, as decimal digits
     */
    record Replacement(byte[] key, byte[] expectedVersion, byte[] stored, byte[] millis) {

        /** @return the new value's version, from its header */
        byte[] newVersion() {
            return RedisStoredValue.versionDigits(stored);
        }
    }
}
