package io.sessionkit.redis;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script on one key, sent as {@code EVALSHA} and, when the server answers
 * {@code NOSCRIPT} (it does not have the script cached: after a restart, a failover, a
 * {@code SCRIPT FLUSH}, or on a Cluster node that never ran it), as {@code EVAL}, which also
 * caches it for the next time. {@code NOSCRIPT} means nothing ran, so the fallback never runs
 * a script twice. Jedis does not fall back by itself. A script that runs on a Cluster names
 * exactly one key, in {@code KEYS}; those on several keys run only on one server.
 *
 * @param source the Lua source
 * @param sha1   its SHA-1 in hexadecimal, as {@code EVALSHA} takes it
 */
record RedisScript(byte[] source, byte[] sha1) {

    /**
     * @param source the Lua source
     * @return the script
     */
    static RedisScript of(String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        return new RedisScript(bytes, HexFormat.of().formatHex(sha1(bytes)).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Runs the script.
     *
     * @param jedis     the client
     * @param key       the one key the script reads and writes
     * @param arguments its {@code ARGV}
     * @return the script's answer
     */
    Object run(UnifiedJedis jedis, byte[] key, byte[]... arguments) {
        return evaluate(jedis, List.of(key), List.of(arguments));
    }

    /**
     * Runs the script on several keys: only where they all live on one server, never on a
     * Cluster.
     *
     * @param jedis the client
     * @param keys  the script's {@code KEYS}
     * @return the script's answer
     */
    Object runOnKeys(UnifiedJedis jedis, List<byte[]> keys) {
        return evaluate(jedis, keys, List.of());
    }

    /**
     * Queues the script in a pipeline as {@code EVALSHA}; {@link #answer} reads what it answered.
     *
     * @param pipeline  the pipeline
     * @param keys      the script's {@code KEYS}, all on the pipeline's server
     * @param arguments its {@code ARGV}
     * @return the queued answer
     */
    Response<Object> queue(AbstractPipeline pipeline, List<byte[]> keys, List<byte[]> arguments) {
        return pipeline.evalsha(sha1, keys, arguments);
    }

    /**
     * The answer of a script {@linkplain #queue queued} in a pipeline that has been synced: when the
     * server did not have the script, which then did not run, it is sent again as {@code EVAL}.
     *
     * @param queued    what {@link #queue} returned
     * @param jedis     the client, for {@code EVAL}
     * @param keys      the keys it was queued with
     * @param arguments the arguments it was queued with
     * @return the script's answer
     */
    Object answer(Response<Object> queued, UnifiedJedis jedis, List<byte[]> keys, List<byte[]> arguments) {
        try {
            return queued.get();
        } catch (JedisNoScriptException notCached) {
            return jedis.eval(source, keys, arguments);
        }
    }

    private Object evaluate(UnifiedJedis jedis, List<byte[]> keys, List<byte[]> arguments) {
        try {
            return jedis.evalsha(sha1, keys, arguments);
        } catch (JedisNoScriptException notCached) {
            return jedis.eval(source, keys, arguments);
        }
    }

    /**
     * @param bytes any bytes
     * @return their SHA-1
     */
    static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
