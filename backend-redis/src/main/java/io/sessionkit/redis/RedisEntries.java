package io.sessionkit.redis;

import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.VersionedEntry;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the entries that a principal's set or a {@code SCAN} named: {@code GET} and {@code PTTL}
 * of every key in one pipeline, so many keys cost one round trip (on a Cluster, one per master
 * that holds some: Jedis's cluster pipeline sends each master its share). Keys that vanished in
 * the meantime are left out and reported, so that an index can forget them. The two commands of
 * a key are not atomic, so a key that expires between them answers {@code PTTL} -2 and is gone
 * too. Thread-safe.
 */
final class RedisEntries {

    /**
     * What a read found.
     *
     * @param entries the live entries
     * @param gone    the keys that no longer exist
     */
    record Read(List<ListedEntry> entries, List<byte[]> gone) {
    }

    private final RedisExpiryReportingLoad oneByOne;
    private final Clock clock;

    /**
     * @param oneByOne reads a key that moved to another Cluster node while the pipeline ran
     */
    RedisEntries(RedisExpiryReportingLoad oneByOne, Clock clock) {
        this.oneByOne = oneByOne;
        this.clock = clock;
    }

    /**
     * Reads keys through the client's own pipeline.
     *
     * @param jedis the client
     * @param keys  the keys
     * @return what was found
     */
    Read read(UnifiedJedis jedis, List<byte[]> keys) {
        return read(jedis::pipelined, keys);
    }

    /**
     * Reads keys through a pipeline, closed afterwards.
     *
     * @param pipeline opens the pipeline
     * @param keys     the keys
     * @return what was found
     */
    Read read(Supplier<? extends AbstractPipeline> pipeline, List<byte[]> keys) {
        List<Response<byte[]>> values = new ArrayList<>(keys.size());
        List<Response<Long>> timesLeft = new ArrayList<>(keys.size());
        try (AbstractPipeline open = pipeline.get()) {
            for (byte[] key : keys) {
                values.add(open.get(key));
                timesLeft.add(open.pttl(key));
            }
            open.sync();
        }
        Instant now = clock.instant();
        List<ListedEntry> found = new ArrayList<>(keys.size());
        List<byte[]> gone = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = new String(keys.get(i), StandardCharsets.UTF_8);
            byte[] value;
            long millisLeft;
            try {
                value = values.get(i).get();
                millisLeft = timesLeft.get(i).get();
            } catch (JedisRedirectionException slotMoved) {
                moved.add(key);
                continue;
            } catch (JedisDataException notAString) {
                continue; // a key of another type under the prefix is no session of ours
            }
            if (value == null || millisLeft == -2) {
                gone.add(keys.get(i));
            } else {
                found.add(new ListedEntry(key, RedisStoredValue.value(value), expiresAt(now, millisLeft)));
            }
        }
        // After the pipeline's connections went back to the pool: the client follows the move.
        for (String key : moved) {
            VersionedEntry entry = oneByOne.loadWithExpiry(key);
            if (entry == null) {
                gone.add(RedisCommands.bytes(key));
            } else {
                found.add(new ListedEntry(key, entry.value(),
                        entry.expiresAt() == null ? Instant.MAX : entry.expiresAt()));
            }
        }
        return new Read(found, gone);
    }

    /**
     * A key without expiry (-1) was made persistent by someone else: it is listed as never
     * expiring rather than hidden, so that listing and counting agree.
     */
    private static Instant expiresAt(Instant now, long millisLeft) {
        return millisLeft < 0 ? Instant.MAX : now.plusMillis(millisLeft);
    }
}
