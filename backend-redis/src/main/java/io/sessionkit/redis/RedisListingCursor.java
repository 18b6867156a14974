package io.sessionkit.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@link RedisSessionListing} walk goes on: which master (its position among
 * {@link RedisMasters#of}), the {@code SCAN} cursor on it, and, when the last page ended inside a
 * {@code SCAN} batch, the batch's {@code COUNT} and how many of its session keys were listed
 * already (the same cursor and count give the same batch again while the keys stay put). Handed
 * out as opaque base64url text.
 *
 * @param master the master's position
 * @param scan   the {@code SCAN} cursor: an unsigned 64-bit number in decimal
 * @param count  the {@code COUNT} of the batch it starts
 * @param listed session keys of that batch listed already
 */
record RedisListingCursor(int master, String scan, int count, int listed) {

    /** Where every walk starts. */
    static RedisListingCursor start(int count) {
        return new RedisListingCursor(0, "0", count, 0);
    }

    private static final Pattern FORM = Pattern.compile("redis-scan/(\\d{1,4})/(\\d{1,20})/(\\d{1,6})/(\\d{1,6})");

    /**
     * @return the cursor as the caller gets it
     */
    String encode() {
        String text = "redis-scan/" + master + "/" + scan + "/" + count + "/" + listed;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param cursor a cursor handed out by {@link #encode}
     * @return it, read
     * @throws IllegalArgumentException when this backend did not make it
     */
    static RedisListingCursor decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException notBase64) {
            throw foreign(cursor);
        }
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            throw foreign(cursor);
        }
        int count = Integer.parseInt(matcher.group(3));
        if (count < 1) {
            throw foreign(cursor);
        }
        return new RedisListingCursor(Integer.parseInt(matcher.group(1)), matcher.group(2), count,
                Integer.parseInt(matcher.group(4)));
    }

    private static IllegalArgumentException foreign(String cursor) {
        String shown = cursor.length() <= 24 ? cursor : cursor.substring(0, 24) + "...";
        return new IllegalArgumentException("not a cursor of the Redis backend's listing: '" + shown
                + "'; pass null for the first page, then each page's nextCursor");
    }
}
