package io.sessionkit.bench.http;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints what the sessions of one benchmark mode occupy in Redis, averaged over the visitors:
 * the payload bytes (string lengths; hash field names plus values; set and sorted-set members),
 * Redis's own {@code MEMORY USAGE} of every key (of all its fields), and how many keys of which type there are.
 * Run against the private benchmark Redis after a mode ran, before the next one flushes it:
 *
 * <pre>java -cp benchmarks.jar io.sessionkit.bench.http.StoreFootprint PORT VISITORS</pre>
 * Prints one line, {@code FOOTPRINT keys=... payload_bytes_per_session=... memory_bytes_per_session=... types=...},
 * then a sample of one session's stored form.
 */
public final class StoreFootprint {

    private StoreFootprint() {
    }

    /**
     * @param args the Redis port at 127.0.0.1 and the number of visitors
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int visitors = Integer.parseInt(args[1]);
        long payload = 0;
        long memory = 0;
        int keys = 0;
        Map<String, Integer> types = new TreeMap<>();
        String sample = null;
        try (Jedis redis = new Jedis("127.0.0.1", port)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<byte[]> page = redis.scan(cursor.getBytes(StandardCharsets.UTF_8), new ScanParams().count(1000));
                for (byte[] key : page.getResult()) {
                    String type = redis.type(key);
                    keys++;
                    types.merge(type, 1, Integer::sum);
                    // SAMPLES 0: every field of a hash; the default samples five and guesses the rest.
                    Long usage = redis.memoryUsage(key, 0);
                    memory += usage == null ? 0 : usage;
                    long bytes = payloadBytes(redis, key, type);
                    payload += bytes;
                    if (sample == null && bytes > 100) {
                        sample = describe(redis, key, type);
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        System.out.printf("FOOTPRINT keys=%d payload_bytes_per_session=%d memory_bytes_per_session=%d types=%s%n",
                keys, payload / visitors, memory / visitors, types);
        System.out.println("SAMPLE " + sample);
    }

    private static long payloadBytes(Jedis redis, byte[] key, String type) {
        long bytes = 0;
        switch (type) {
            case "string" -> bytes = redis.strlen(key);
            case "hash" -> {
                for (Map.Entry<byte[], byte[]> field : redis.hgetAll(key).entrySet()) {
                    bytes += field.getKey().length + field.getValue().length;
                }
            }
            case "set" -> {
                for (byte[] member : redis.smembers(key)) {
                    bytes += member.length;
                }
            }
            case "zset" -> {
                for (byte[] member : redis.zrange(key, 0, -1)) {
                    bytes += member.length;
                }
            }
            default -> {
                // Other types are not used by any mode.
            }
        }
        return bytes;
    }

    private static String describe(Jedis redis, byte[] key, String type) {
        String name = new String(key, StandardCharsets.UTF_8);
        if (type.equals("hash")) {
            StringBuilder fields = new StringBuilder();
            redis.hgetAll(key).forEach((field, value) -> fields.append(new String(field, StandardCharsets.UTF_8))
                    .append('=').append(printable(value)).append(' '));
            return name.substring(0, Math.min(name.length(), 40)) + "... (hash) " + fields.toString().trim();
        }
        return name.substring(0, Math.min(name.length(), 40)) + "... (" + type + ") " + printable(redis.get(key));
    }

    /**
     * A stored value as text for the report, with control characters (the zero byte that starts
     * SessionKit's Redis header, Java serialization's framing) written as {@code \xNN}: a zero
     * byte in the report would make {@code grep} take it for a binary file and print none of it.
     */
    static String printable(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        StringBuilder printable = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                printable.append(String.format("\\x%02x", (int) c));
            } else {
                printable.append(c);
            }
        }
        return printable.toString();
    }
}
