package io.sessionkit.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sessionkit.spi.SessionRecord;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Decodes the stored bytes a near cache serves, keeping the decoded record of those read more
 * than once, so that a session answered from memory is copied rather than parsed again. Copying
 * the maps and lists a 16 KB JSON session decodes to costs a quarter of parsing it when they are
 * still in the processor's caches, and most of it when they are not (docs/benchmarks.md). Bytes
 * this process wrote are not parsed whole on their first read: the save noted where each
 * attribute lies in them ({@link JsonSlices}), and that read parses an attribute when the
 * request first reaches it; a session changed by every request is never parsed whole.
 *
 * <p>The near cache hands out the same byte array for as long as it keeps a copy, so records are
 * kept by the array's identity, weakly: a record goes when the near cache drops its bytes, and
 * at the latest when the bound is reached. The first read of an array decodes it as a read of
 * the store does (by attribute, for large JSON); the second decodes it whole and keeps a copy of
 * the result; every later read gets that copy's attributes
 * in a map of its own whose values are copied when the request first reaches them
 * ({@link AttributesCopiedOnRead}), so a request copies only the values it uses. A request that
 * changes its session makes new bytes, so reads between writes cost no more than before.
 *
 * <p>The request may change its record at will: the kept one never changes. Only values that
 * decode to maps, lists, strings, numbers, booleans and byte arrays of the types Jackson's
 * untyped reads give are copied; a record holding anything else (an application's mapper may
 * make objects of its own, which cannot be copied safely) is decoded on every read, as without
 * this class.
 */
final class DecodedCopies {

    /** The array was decoded once: a second read keeps what it decodes to. */
    private static final Object READ_ONCE = new Object();
    /** The record holds a value that cannot be copied: decode it on every read. */
    private static final Object NOT_COPYABLE = new Object();

    private final Function<byte[], SessionRecord> firstRead;
    private final Function<byte[], SessionRecord> decoder;
    private final Cache<byte[], Object> kept;

    /**
     * @param firstRead decodes bytes on their first read, or throws when they are no session: by
     *                  attribute where the format allows ({@link JacksonSessionSerializer#deserializeSliced})
     * @param decoder   decodes stored bytes whole, into values that can be kept and copied, or
     *                  throws when they are no session
     * @param size      the near cache's bound: as many records are kept as it keeps sessions, or,
     *                  when it is in bytes, records for as many bytes of their stored form
     */
    DecodedCopies(Function<byte[], SessionRecord> firstRead, Function<byte[], SessionRecord> decoder, NearCacheSize size) {
        this.firstRead = firstRead;
        this.decoder = decoder;
        // Eviction on the calling thread, as the near cache does: no work handed to the common pool.
        Caffeine<Object, Object> builder = Caffeine.newBuilder().weakKeys().executor(Runnable::run);
        this.kept = size.inBytes()
                ? builder.maximumWeight(size.limit()).weigher((byte[] data, Object record) -> data.length).build()
                : builder.maximumSize(size.limit()).build();
    }

    /**
     * @param data a stored entry's bytes
     * @return the record they hold, the request's own to change
     */
    SessionRecord decode(byte[] data) {
        Object known = kept.getIfPresent(data);
        if (known instanceof JsonSlices slices) {
            // Read by attribute this once; the next read parses them whole and keeps a copy, as
            // for any bytes read twice: copying an attribute costs less than parsing it, every time.
            kept.put(data, READ_ONCE);
            return slices.over(data);
        }
        if (known instanceof SessionRecord record) {
            return new SessionRecord(new AttributesCopiedOnRead(record.attributes(), DecodedCopies::copyOf),
                    record.permanent(), record.version(), record.created(), record.maxInactive(),
                    record.absoluteExpiry());
        }
        if (known == null) {
            SessionRecord decoded = firstRead.apply(data);
            kept.put(data, READ_ONCE);
            return decoded;
        }
        SessionRecord decoded = decoder.apply(data);
        if (known == READ_ONCE) {
            SessionRecord copy = copyOf(decoded);
            kept.put(data, copy == null ? NOT_COPYABLE : copy);
        }
        return decoded;
    }

    /**
     * Keeps where each attribute lies in the bytes of a save, for the first read of them: the near
     * cache hands out this very array once the store has taken it, and that read parses only the
     * attributes the request reaches. A second read counts as the first of bytes read from the store.
     *
     * @param data   the bytes, before they are handed to the store
     * @param slices their slices, or {@code null} when there are none
     */
    void written(byte[] data, JsonSlices slices) {
        if (slices != null) {
            kept.put(data, slices);
        }
    }

    /** @return a copy whose attributes share nothing mutable with the record's, or {@code null} when there is none */
    private static SessionRecord copyOf(SessionRecord record) {
        Object attributes = copyOf(record.attributes());
        if (attributes == NOT_COPYABLE) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copied = (Map<String, Object>) attributes;
        return new SessionRecord(copied, record.permanent(), record.version(), record.created(),
                record.maxInactive(), record.absoluteExpiry());
    }

    /** @return a copy of the value, the value itself when it cannot change, or {@link #NOT_COPYABLE} */
    private static Object copyOf(Object value) {
        if (value == null || value instanceof String || value instanceof Integer || value instanceof Boolean
                || value instanceof Long || value instanceof Double || value instanceof BigInteger
                || value instanceof BigDecimal || value instanceof Float) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        // The classes themselves: a subclass may behave in ways a copy would not.
        if (value.getClass() == LinkedHashMap.class) {
            Map<Object, Object> copy = new LinkedHashMap<>((Map<?, ?>) value);
            for (Map.Entry<Object, Object> entry : copy.entrySet()) {
                Object item = copyOf(entry.getValue());
                if (item == NOT_COPYABLE) {
                    return NOT_COPYABLE;
                }
                entry.setValue(item);
            }
            return copy;
        }
        if (value.getClass() == ArrayList.class) {
            List<Object> copy = new ArrayList<>((List<?>) value);
            for (ListIterator<Object> items = copy.listIterator(); items.hasNext(); ) {
                Object item = copyOf(items.next());
                if (item == NOT_COPYABLE) {
                    return NOT_COPYABLE;
                }
                items.set(item);
            }
            return copy;
        }
        return NOT_COPYABLE;
    }
}
