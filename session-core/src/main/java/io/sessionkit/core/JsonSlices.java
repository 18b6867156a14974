package io.sessionkit.core;

import io.sessionkit.spi.SessionRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each attribute's value lies in the JSON a save of this process wrote, with the envelope
 * reading it back gives: what lets the near cache's next read of those bytes parse only the
 * attributes a request reaches, and the save after it write the others as the bytes they were
 * ({@link JsonSlice}). It holds no reference to the bytes, which the near cache keeps.
 */
final class JsonSlices {

    private final JacksonSessionSerializer reader;
    private final SessionRecord envelope;
    private final String[] keys;
    private final int[] bounds;

    private JsonSlices(JacksonSessionSerializer reader, SessionRecord envelope, String[] keys, int[] bounds) {
        this.reader = reader;
        this.envelope = envelope;
        this.keys = keys;
        this.bounds = bounds;
    }

    /**
     * @param data the bytes these slices were taken of
     * @return the session they hold, each attribute a slice of {@code data} parsed when the
     *         request first reaches it: the request's own to change
     */
    SessionRecord over(byte[] data) {
        Map<String, Object> slices = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            slices.put(keys[i], new JsonSlice(reader, data, bounds[2 * i], bounds[2 * i + 1]));
        }
        return new SessionRecord(JsonSlice.readOnReach(slices),
                envelope.permanent(), envelope.version(), envelope.created(), envelope.maxInactive(),
                envelope.absoluteExpiry());
    }

    /**
     * What a save wrote, and its slices.
     *
     * @param slices {@code null} when the bytes cannot be read by slices
     */
    record Written(byte[] bytes, JsonSlices slices) {
    }

    /** Gathers the slices as a save writes the attributes. */
    static final class Builder {

        private final List<String> keys = new ArrayList<>();
        /** Each attribute's start and end, one after the other. */
        private int[] bounds = new int[16];

        void add(String key, int start, int end) {
            int at = 2 * keys.size();
            if (at == bounds.length) {
                bounds = Arrays.copyOf(bounds, 2 * at);
            }
            bounds[at] = start;
            bounds[at + 1] = end;
            keys.add(key);
        }

        /**
         * @param data     the bytes written
         * @param envelope the record's envelope as a read gives it, or {@code null} when a read
         *                 refuses it
         * @return the slices, or {@code null} when the bytes are not as the slices expect: each
         *         value after a name's separator
         */
        JsonSlices build(JacksonSessionSerializer reader, byte[] data, SessionRecord envelope) {
            if (envelope == null) {
                return null;
            }
            for (int i = 0; i < keys.size(); i++) {
                if (data[bounds[2 * i] - 1] != ':') {
                    return null;
                }
            }
            return new JsonSlices(reader, envelope, keys.toArray(String[]::new),
                    Arrays.copyOf(bounds, 2 * keys.size()));
        }
    }
}
