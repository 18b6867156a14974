package io.sessionkit.redis;

import io.sessionkit.spi.SessionLocks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Session locks on Redis: a lock is its own key, the session key followed by {@value #SUFFIX},
 * holding the holder's token, with the lease as its expiry, so Redis itself frees the lock of a
 * holder that died. It is a separate key from the session's, used by separate commands, so on a
 * Cluster the two may live on different nodes; the session key keeps its form.
 *
 * <ul>
 *   <li>{@link #tryLock}: a script that runs {@code SET lock token NX PX lease} and, when the lock
 *       is taken, answers whether this token is its holder. One round trip.</li>
 *   <li>{@link #unlock}: a script that deletes the lock only if it still holds the token. One
 *       round trip.</li>
 * </ul>
 * The token check makes both safe to send twice: a lock whose first {@code SET} ran before its
 * connection broke is found to be this holder's when sent again (by the retry of
 * {@link RedisCommands}, or by Jedis on a Cluster), instead of blocking its own holder until
 * the lease runs out. Thread-safe.
 */
final class RedisSessionLocks implements SessionLocks {

    /** What a session key is followed by to name its lock. */
    static final String SUFFIX = ":lock";

    /** KEYS[1] the lock; ARGV: token, lease in ms. */
    private static final RedisScript LOCK = RedisScript.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
            return 0
            """);

    /** KEYS[1] the lock; ARGV: token. */
    private static final RedisScript UNLOCK = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);

    private final RedisCommands commands;

    RedisSessionLocks(RedisCommands commands) {
        this.commands = commands;
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
        byte[] lockKey = RedisCommands.bytes(key + SUFFIX);
        byte[] holder = token.getBytes(StandardCharsets.UTF_8);
        byte[] millis = Long.toString(RedisCommands.millis(lease)).getBytes(StandardCharsets.US_ASCII);
        return commands.run("lock", jedis -> (Long) LOCK.run(jedis, lockKey, holder, millis) == 1);
    }

    @Override
    public void unlock(String key, String token) {
        byte[] lockKey = RedisCommands.bytes(key + SUFFIX);
        byte[] holder = token.getBytes(StandardCharsets.UTF_8);
        commands.run("unlock", jedis -> UNLOCK.run(jedis, lockKey, holder));
    }
}
