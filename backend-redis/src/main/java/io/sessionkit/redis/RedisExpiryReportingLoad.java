package io.sessionkit.redis;

import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.VersionedEntry;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Reads on Redis that report the expiry: {@code GET} and {@code PTTL} of the one key in one round
 * trip. On one server and through Sentinel the two are pipelined rather than run by a script: a
 * script hands the value through Lua twice, which for a 16 KB session doubled the server's time
 * per read. Another client's change can run between the two commands; the time left is then the
 * newer entry's, or the entry is reported absent when it was deleted in between, which is what a
 * read just after that change would find. On a Cluster, and through a client handed in, it stays
 * a script: Jedis follows a moved slot for a single command, not for a pipeline.
 *
 * <p>Redis counts the time to live on its own clock; the expiry reported is the remaining time
 * added to this process's clock, which is what the engine compares it with. The version is
 * the one in the value's header ({@link RedisStoredValue}). Thread-safe.
 */
final class RedisExpiryReportingLoad implements ExpiryReportingLoad {

    /** KEYS[1] the session. Answers nil, or the bytes and the milliseconds left (-1: no expiry). */
    private static final RedisScript LOAD = RedisScript.of("""
            local value = redis.call('GET', KEYS[1])
            if not value then return false end
            return {value, redis.call('PTTL', KEYS[1])}
            """);
    /** {@code PTTL}'s answer for a key that does not exist. */
    private static final long ABSENT = -2;

    private final RedisCommands commands;
    private final Clock clock;
    private final boolean pipelines;

    /** @param pipelines {@link RedisClient#pipelines()}: whether to pipeline, else run the script */
    RedisExpiryReportingLoad(RedisCommands commands, Clock clock, boolean pipelines) {
        this.commands = commands;
        this.clock = clock;
        this.pipelines = pipelines;
    }

    @Override
    public VersionedEntry loadWithExpiry(String key) {
        byte[] binaryKey = RedisCommands.bytes(key);
        ValueAndTimeLeft answer = commands.run("load",
                jedis -> pipelines ? pipelined(jedis, binaryKey) : scripted(jedis, binaryKey));
        if (answer.value() == null || answer.millisLeft() == ABSENT) {
            return null;
        }
        Instant expiresAt = answer.millisLeft() < 0 ? null : clock.instant().plusMillis(answer.millisLeft());
        return RedisStoredValue.versioned(answer.value(), expiresAt);
    }

    private static ValueAndTimeLeft pipelined(UnifiedJedis jedis, byte[] key) {
        try (AbstractPipeline pipeline = jedis.pipelined()) {
            Response<byte[]> value = pipeline.get(key);
            Response<Long> millisLeft = pipeline.pttl(key);
            pipeline.sync();
            return new ValueAndTimeLeft(value.get(), millisLeft.get());
        }
    }

    private static ValueAndTimeLeft scripted(UnifiedJedis jedis, byte[] key) {
        if (!(LOAD.run(jedis, key) instanceof List<?> valueAndTimeLeft)) {
            return new ValueAndTimeLeft(null, ABSENT);
        }
        return new ValueAndTimeLeft((byte[]) valueAndTimeLeft.get(0), (Long) valueAndTimeLeft.get(1));
    }

    /** @param millisLeft {@code PTTL}'s answer: -1 without expiry, -2 when absent */
    private record ValueAndTimeLeft(byte[] value, long millisLeft) {
    }
}
