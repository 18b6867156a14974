package io.sessionkit.spi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The cursor of a {@link SessionListing} that walks keys in order and resumes after the last key
 * it reached (a SQL keyset page, a MongoDB {@code _id} range, a DynamoDB scan's last evaluated
 * key): a marker naming the backend and the cursor's format, then the key prefix and that key,
 * each in base64url. Shared so that every such cursor is opaque in the same way, and one made by
 * another backend, for another prefix or altered is refused the same way. Immutable and
 * thread-safe.
 */
public final class KeyCursor {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final String marker;
    private final String backendName;

    /**
     * @param marker      what every cursor of this backend starts with, naming it and the format,
     *                    such as {@code jdbc1.}; it must end with a character that base64url does not use
     * @param backendName the backend's name in the message that refuses a foreign cursor
     */
    public KeyCursor(String marker, String backendName) {
        this.marker = Objects.requireNonNull(marker, "marker");
        this.backendName = Objects.requireNonNull(backendName, "backendName");
    }

    /**
     * @param keyPrefix the prefix being listed
     * @param lastKey   the last key the page reached
     * @return the cursor of the next page
     */
    public String after(String keyPrefix, String lastKey) {
        return marker + encode(keyPrefix) + "." + encode(lastKey);
    }

    /**
     * @param cursor    a cursor from {@link #after}
     * @param keyPrefix the prefix being listed
     * @return the last key the page before reached
     * @throws IllegalArgumentException when this backend did not make {@code cursor} for {@code keyPrefix}
     */
    public String lastKey(String cursor, String keyPrefix) {
        if (cursor.startsWith(marker)) {
            String[] parts = cursor.substring(marker.length()).split("\\.", -1);
            try {
                if (parts.length == 2 && !parts[1].isEmpty() && decode(parts[0]).equals(keyPrefix)) {
                    String key = decode(parts[1]);
                    if (after(keyPrefix, key).equals(cursor)) {
                        return key;
                    }
                }
            } catch (IllegalArgumentException notBase64) {
                // refused below, as every other foreign cursor
            }
        }
        throw new IllegalArgumentException("the cursor is not one the " + backendName + " backend made for listing the"
                + " keys of '" + keyPrefix + "': pass null for the first page, then each page's nextCursor");
    }

    private static String encode(String text) {
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String part) {
        return new String(DECODER.decode(part), StandardCharsets.UTF_8);
    }
}
