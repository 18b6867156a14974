package io.sessionkit.redis;

import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.PrincipalIndex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The principal index on Redis: a sorted set per principal, beside the session keys, whose
 * members are the keys of the principal's sessions scored by their expiry (epoch milliseconds on
 * the configuration's clock). Its key is {@code SESSION_KEY_PREFIX ~principal:} followed by the
 * base64url SHA-256 of the principal: a fixed length whatever the principal holds, no user name
 * in a key name, and never a session key (a session key's id has no {@code ~}), so
 * {@link RedisSessionListing} does not count it.
 *
 * <ul>
 *   <li>{@link #assign}: a script on the new principal's set that adds the key with its expiry,
 *       drops members that expired ({@code ZREMRANGEBYSCORE}) and sets the set's own expiry to
 *       its last member's, so that an abandoned set dies with its last session; and, when the
 *       principal changed, {@code ZREM} from the previous one's set. One round trip per set
 *       touched; each names one key, so each runs on a Cluster.</li>
 *   <li>{@link #entriesOf}: {@code ZRANGEBYSCORE set now +inf}, then {@code GET} and
 *       {@code PTTL} of each member in one pipeline (on a Cluster, one per master holding
 *       members), and a {@code ZREM} of members whose key is gone when there are any.</li>
 * </ul>
 * A session's key holds no trace of its principal, so a save keeps it listed; the engine
 * reports each extension of a session's life through {@link #assign} ({@link #keptInEntry()} is
 * {@code false}). Every command may safely run twice. Thread-safe.
 */
final class RedisPrincipalIndex implements PrincipalIndex {

    /** What follows {@code SESSION_KEY_PREFIX} in the name of a principal's set. */
    static final String INFIX = "~principal:";

    /**
     * KEYS[1] the principal's set; ARGV: session key, its expiry, now (both epoch ms). The set's
     * last score is in the future, since the member just added is.
     */
    private static final RedisScript ADD = RedisScript.of("""
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
            local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - tonumber(ARGV[3])))
            return 1
            """);

    private final RedisCommands commands;
    private final RedisEntries entries;
    private final String keyPrefix;
    private final Clock clock;

    /**
     * @param keyPrefix the backend's {@code SESSION_KEY_PREFIX}, under which the sets are named
     */
    RedisPrincipalIndex(RedisCommands commands, RedisEntries entries, String keyPrefix, Clock clock) {
        this.commands = commands;
        this.entries = entries;
        this.keyPrefix = keyPrefix;
        this.clock = clock;
    }

    @Override
    public void assign(String key, String previous, String principal, Duration timeToLive) {
        byte[] member = RedisCommands.bytes(key);
        if (principal != null) {
            long now = clock.millis();
            byte[] set = setOf(principal);
            byte[] expiry = ascii(now + RedisCommands.millis(timeToLive));
            byte[] nowMillis = ascii(now);
            commands.run("index", jedis -> ADD.run(jedis, set, member, expiry, nowMillis));
        }
        // Added before it is removed: a failure in between leaves the session under both
        // principals, where a revokeAll of either still finds it, rather than under neither.
        if (previous != null && !previous.equals(principal)) {
            byte[] set = setOf(previous);
            commands.run("index", jedis -> jedis.zrem(set, member));
        }
    }

    @Override
    public List<ListedEntry> entriesOf(String principal) {
        byte[] set = setOf(principal);
        double now = clock.millis();
        return commands.run("sessionsOf", jedis -> {
            List<byte[]> members = jedis.zrangeByScore(set, now, Double.POSITIVE_INFINITY);
            if (members.isEmpty()) {
                return List.of();
            }
            RedisEntries.Read read = entries.read(jedis, members);
            if (!read.gone().isEmpty()) {
                jedis.zrem(set, read.gone().toArray(byte[][]::new));
            }
            return read.entries();
        });
    }

    @Override
    public boolean keptInEntry() {
        return false;
    }

    /**
     * @param principal a principal
     * @return the name of its set
     */
    byte[] setOf(String principal) {
        return RedisCommands.bytes(keyPrefix + INFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(sha256(principal.getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] ascii(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
