package io.sessionkit.mongodb;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.sessionkit.spi.KeyCursor;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.SessionListing;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;

import static io.sessionkit.mongodb.MongoCommands.ID;
import static io.sessionkit.mongodb.MongoCommands.LISTED_FIELDS;

/**
 * Counting and listing sessions on MongoDB, by a range of {@code _id}: the keys that start with a
 * prefix are exactly those from the prefix (inclusive) to its {@linkplain #upperBound successor}
 * (exclusive), a range the {@code _id} index serves, where a regular expression would need the
 * prefix escaped. Expired documents and documents holding only a lock are left out by the filter
 * of {@link MongoCommands#liveSessions}.
 *
 * <ul>
 *   <li>{@link #count}: one {@code countDocuments} (an aggregation of {@code $match} and
 *       {@code $group}), which walks the prefix's range of the {@code _id} index and reads each of
 *       its documents on the server to check the expiry;</li>
 *   <li>{@link #list}: one {@code find} sorted by {@code _id}, after the last key of the page
 *       before, limited to one more than the page so that the last page says it is the last. The
 *       cursor is that last key, base64url-encoded behind a marker.</li>
 * </ul>
 * Thread-safe.
 */
final class MongoSessionListing implements SessionListing {

    private static final KeyCursor CURSORS = new KeyCursor("mongo1.", "MongoDB");

    private final MongoCommands commands;

    MongoSessionListing(MongoCommands commands) {
        this.commands = commands;
    }

    @Override
    public long count(String keyPrefix) {
        Bson filter = Filters.and(keysStartingWith(keyPrefix, null), commands.liveSessions());
        return commands.run("count sessions", () -> commands.sessions().countDocuments(filter));
    }

    @Override
    public ListedPage list(String keyPrefix, String cursor, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit was " + limit + " but it must be positive");
        }
        String after = cursor == null ? null : CURSORS.lastKey(cursor, keyPrefix);
        Bson filter = Filters.and(keysStartingWith(keyPrefix, after), commands.liveSessions());
        int fetched = limit == Integer.MAX_VALUE ? limit : limit + 1;
        List<BsonDocument> documents = commands.run("list sessions", () -> commands.sessions().find(filter)
                .projection(LISTED_FIELDS).sort(Sorts.ascending(ID)).limit(fetched).into(new ArrayList<>()));
        List<ListedEntry> entries = new ArrayList<>(Math.min(limit, documents.size()));
        for (BsonDocument document : documents.subList(0, Math.min(limit, documents.size()))) {
            ListedEntry entry = MongoCommands.listedEntryOf(document);
            if (entry != null) {
                entries.add(entry);
            }
        }
        String next = documents.size() > limit ? CURSORS.after(keyPrefix, documents.get(limit - 1).getString(ID).getValue()) : null;
        return new ListedPage(entries, next);
    }

    /** String keys from {@code keyPrefix} up to its successor, and after {@code after} when given. */
    private static Bson keysStartingWith(String keyPrefix, String after) {
        List<Bson> range = new ArrayList<>(2);
        range.add(after == null ? Filters.gte(ID, keyPrefix) : Filters.gt(ID, after));
        String upper = upperBound(keyPrefix);
        if (upper != null) {
            range.add(Filters.lt(ID, upper));
        }
        return Filters.and(range);
    }

    /**
     * The least string greater than every string that starts with {@code prefix}: the prefix with
     * its last code point incremented (skipping the surrogates, which no key holds). MongoDB
     * orders strings by their UTF-8 bytes, which order as the code points do. Trailing code points
     * that cannot be incremented are dropped first.
     *
     * @return the bound, or {@code null} when there is none (an empty prefix, or one of
     *         {@code U+10FFFF} only): every string key then starts with the prefix
     */
    static String upperBound(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int last = prefix.codePointBefore(end);
            int start = end - Character.charCount(last);
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return prefix.substring(0, start) + Character.toString(next);
            }
            end = start;
        }
        return null;
    }
}
