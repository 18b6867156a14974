package io.sessionkit.redis;

import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.SessionListing;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.KeyBinaryCommands;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Counting and listing sessions on Redis with {@code SCAN cursor MATCH prefix* COUNT n TYPE string}
 * on every master ({@link RedisMasters}), never {@code KEYS}. {@code SCAN} walks the whole
 * keyspace of a server, whatever the prefix, a batch of about {@code COUNT} keys per round trip;
 * only the matching keys travel. A key counts as a session when what follows the prefix is a
 * session id: base64url characters only. That leaves out lock keys (their {@code :lock} suffix),
 * the principal index's sets ({@code ~}, and not strings) and keys of a longer prefix that adds
 * a separator. Glob characters in {@code SESSION_KEY_PREFIX} are escaped in the pattern.
 *
 * <ul>
 *   <li>{@link #count}: {@code SCAN} with {@code COUNT 1000} to the end on every master, keeping
 *       only a running number.</li>
 *   <li>{@link #list}: {@code SCAN} on one master until the page is full, the master is done or
 *       a few batches were read, then {@code GET} and {@code PTTL} of the page's keys in one
 *       pipeline ({@link RedisEntries}). A page never spans two masters, so it may hold fewer
 *       entries than asked, even none, and still have a next one.</li>
 * </ul>
 * On a Cluster, each call first reads the masters from {@code CLUSTER SLOTS}. A {@code SCAN}
 * cursor is the server's own: after a failover the walk goes on on the new master, where it may
 * miss or repeat keys, as a listing that is not a snapshot may. Thread-safe.
 */
final class RedisSessionListing implements SessionListing {

    /** {@code COUNT} of a count's batches: few round trips, each short for the server. */
    private static final int COUNT_BATCH = 1000;
    /** Bounds of a page's {@code COUNT}, which follows the page's size between them. */
    private static final int MIN_BATCH = 10;
    private static final int MAX_BATCH = 1000;
    /** Batches one page reads at most, so that a page over a sparse prefix ends in bounded time. */
    private static final int BATCHES_PER_PAGE = 16;
    private static final byte[] STRING = "string".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] START = ScanParams.SCAN_POINTER_START_BINARY;

    private final RedisCommands commands;
    private final RedisEntries entries;

    RedisSessionListing(RedisCommands commands, RedisEntries entries) {
        this.commands = commands;
        this.entries = entries;
    }

    @Override
    public long count(String keyPrefix) {
        ScanParams params = new ScanParams().match(pattern(keyPrefix)).count(COUNT_BATCH);
        return commands.run("count", jedis -> {
            long total = 0;
            for (RedisMasters.Master master : RedisMasters.of(jedis)) {
                total += RedisMasters.on(jedis, master, (keys, pipeline) -> {
                    long counted = 0;
                    byte[] cursor = START;
                    do {
                        ScanResult<byte[]> batch = keys.scan(cursor, params, STRING);
                        counted += sessionKeys(batch.getResult(), keyPrefix).size();
                        cursor = batch.getCursorAsBytes();
                    } while (!isStart(cursor));
                    return counted;
                });
            }
            return total;
        });
    }

    @Override
    public ListedPage list(String keyPrefix, String cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        RedisListingCursor from = cursor == null
                ? RedisListingCursor.start(Math.max(MIN_BATCH, Math.min(MAX_BATCH, limit)))
                : RedisListingCursor.decode(cursor);
        return commands.run("list", jedis -> page(jedis, keyPrefix, from, limit));
    }

    private ListedPage page(UnifiedJedis jedis, String keyPrefix, RedisListingCursor from, int limit) {
        List<RedisMasters.Master> masters = RedisMasters.of(jedis);
        if (from.master() >= masters.size()) {
            return new ListedPage(List.of(), null); // the Cluster lost a master since the last page
        }
        return RedisMasters.on(jedis, masters.get(from.master()), (keys, pipeline) -> {
            List<byte[]> found = new ArrayList<>();
            RedisListingCursor next = scan(keys, keyPrefix, from, limit, masters.size(), found);
            List<ListedEntry> page = found.isEmpty() ? List.of() : entries.read(pipeline, found).entries();
            return new ListedPage(page, next == null ? null : next.encode());
        });
    }

    /**
     * Scans one master from {@code from}, adding session keys to {@code found} up to
     * {@code limit}.
     *
     * @return where the next page starts, or {@code null} when this was the last master's end
     */
    private static RedisListingCursor scan(KeyBinaryCommands keys, String keyPrefix, RedisListingCursor from,
                                           int limit, int masters, List<byte[]> found) {
        byte[] pattern = pattern(keyPrefix);
        String cursor = from.scan();
        int count = from.count();
        int alreadyListed = from.listed();
        int freshCount = Math.max(MIN_BATCH, Math.min(MAX_BATCH, limit));
        for (int batches = 0; batches < BATCHES_PER_PAGE; batches++) {
            ScanResult<byte[]> batch = keys.scan(cursor.getBytes(StandardCharsets.US_ASCII),
                    new ScanParams().match(pattern).count(count), STRING);
            List<byte[]> sessions = sessionKeys(batch.getResult(), keyPrefix);
            List<byte[]> unlisted = sessions.subList(Math.min(alreadyListed, sessions.size()), sessions.size());
            int room = limit - found.size();
            if (unlisted.size() > room) {
                found.addAll(unlisted.subList(0, room));
                return new RedisListingCursor(from.master(), cursor, count, alreadyListed + room);
            }
            found.addAll(unlisted);
            cursor = batch.getCursor();
            count = freshCount;
            alreadyListed = 0;
            if (isStart(batch.getCursorAsBytes())) {
                return from.master() + 1 < masters ? new RedisListingCursor(from.master() + 1, "0", freshCount, 0) : null;
            }
            if (found.size() == limit) {
                break;
            }
        }
        return new RedisListingCursor(from.master(), cursor, count, 0);
    }

    /**
     * @param keys      keys that {@code SCAN} matched
     * @param keyPrefix the prefix
     * @return those that are session keys: the prefix and a base64url id
     */
    static List<byte[]> sessionKeys(List<byte[]> keys, String keyPrefix) {
        List<byte[]> sessions = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            String text = new String(key, StandardCharsets.UTF_8);
            if (text.length() > keyPrefix.length() && text.startsWith(keyPrefix)
                    && isBase64Url(text, keyPrefix.length())) {
                sessions.add(key);
            }
        }
        return sessions;
    }

    private static boolean isBase64Url(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param keyPrefix a key prefix
     * @return a {@code MATCH} pattern for every key that starts with it: its glob characters
     *         ({@code * ? [ ] \}) escaped, then {@code *}
     */
    static byte[] pattern(String keyPrefix) {
        StringBuilder pattern = new StringBuilder(keyPrefix.length() + 8);
        for (int i = 0; i < keyPrefix.length(); i++) {
            char c = keyPrefix.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return RedisCommands.bytes(pattern.append('*').toString());
    }

    private static boolean isStart(byte[] cursor) {
        return cursor.length == 1 && cursor[0] == '0';
    }
}
