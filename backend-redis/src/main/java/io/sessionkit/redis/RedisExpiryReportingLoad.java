package io.sessionkit.redis;

import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.VersionedEntry;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Reads on Redis that report the expiry: a script that answers {@code GET} and {@code PTTL} of
 * the one key, in one round trip, on a Cluster too. Redis counts the time to live on its own
 * clock; the expiry reported is the remaining time added to this process's clock, which is
 * what the engine compares it with. The version is {@link RedisConditionalWrites#versionOf}'s.
 * Thread-safe.
 */
final class RedisExpiryReportingLoad implements ExpiryReportingLoad {

    /** KEYS[1] the session. Answers nil, or the bytes and the milliseconds left (-1: no expiry). */
    private static final RedisScript LOAD = RedisScript.of("""
            local value = redis.call('GET', KEYS[1])
            if not value then return false end
            return {value, redis.call('PTTL', KEYS[1])}
            """);

    private final RedisCommands commands;
    private final Clock clock;

    RedisExpiryReportingLoad(RedisCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @Override
    public VersionedEntry loadWithExpiry(String key) {
        byte[] binaryKey = RedisCommands.bytes(key);
        Object answer = commands.run("load", jedis -> LOAD.run(jedis, binaryKey));
        if (!(answer instanceof List<?> valueAndTimeLeft)) {
            return null;
        }
        byte[] value = (byte[]) valueAndTimeLeft.get(0);
        long millisLeft = (Long) valueAndTimeLeft.get(1);
        Instant expiresAt = millisLeft < 0 ? null : clock.instant().plusMillis(millisLeft);
        return new VersionedEntry(value, RedisConditionalWrites.versionOf(value), expiresAt);
    }
}
