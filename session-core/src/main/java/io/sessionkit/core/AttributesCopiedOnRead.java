package io.sessionkit.core;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A request's attributes over a decoded record that {@link DecodedCopies} keeps for later
 * requests: each value stays the kept record's until the request first reaches it, and is a
 * copy of its own from then on. A request that reads one attribute of a large session copies
 * that one alone; a request that reads none copies nothing.
 *
 * <p>Every way of reaching a value copies it first: {@link #get}, the previous value that
 * {@link #put} and {@link #remove} answer, and the views that hand values out
 * ({@link #entrySet()}, {@link #values()}, and what is built on them: iteration, equality,
 * {@code forEach}, serialization), which copy all values at once. Names alone
 * ({@link #keySet()}, {@link #containsKey}, {@link #size()}) copy nothing. The kept record is
 * never changed. Not thread-safe, like the request's session.
 *
 * <p>The kept values may also be stand-ins that only the copier turns into values
 * ({@link #overUnread}): an attribute's stored bytes, read when the request first reaches it,
 * and written by a save as they are.
 */
final class AttributesCopiedOnRead extends AbstractMap<String, Object> {

    private final Map<String, Object> kept;
    private final UnaryOperator<Object> copier;
    /** Whether the kept values are the values themselves, or stand-ins that only the copier turns into them. */
    private final boolean keptAreValues;
    private final Map<String, Object> values;
    private boolean allCopied;

    /**
     * @param kept   the kept record's attributes, which this map never changes and never hands out
     * @param copier copies one of their values into one sharing nothing mutable with it
     */
    AttributesCopiedOnRead(Map<String, Object> kept, UnaryOperator<Object> copier) {
        this(kept, copier, true);
    }

    private AttributesCopiedOnRead(Map<String, Object> kept, UnaryOperator<Object> copier, boolean keptAreValues) {
        this.kept = kept;
        this.copier = copier;
        this.keptAreValues = keptAreValues;
        this.values = new LinkedHashMap<>(kept);
    }

    /**
     * @param unread stand-ins of the values, such as their stored bytes ({@link JsonSlice}), which
     *               {@link #forReading()} hands to the serializer as they are
     * @param reader turns a stand-in into its value, the request's own
     * @return attributes whose values are read when the request first reaches them
     */
    static AttributesCopiedOnRead overUnread(Map<String, Object> unread, UnaryOperator<Object> reader) {
        return new AttributesCopiedOnRead(unread, reader, false);
    }

    /**
     * @return whether the value under {@code key} is still the kept record's, not yet copied
     */
    boolean shares(String key) {
        Object value = values.get(key);
        return !allCopied && value != null && value == kept.get(key);
    }

    /**
     * @return the values as they are, the kept record's among them, read-only: for a reader that
     *         only reads them and hands none out (the serializer writing the session), so that
     *         writing it copies nothing
     */
    Map<String, Object> forReading() {
        return keptAreValues ? Collections.unmodifiableMap(values) : new WithStandIns();
    }

    /**
     * The values as they are, stand-ins among them, read-only: for the serializer, which writes a
     * stand-in as it is. A value asked for by name is read first (the principal's index asks).
     */
    private final class WithStandIns extends AbstractMap<String, Object> {

        private final Map<String, Object> view = Collections.unmodifiableMap(values);

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Object get(Object key) {
            return AttributesCopiedOnRead.this.get(key);
        }
    }

    @Override
    public Object get(Object key) {
        Object value = values.get(key);
        if (allCopied || value == null || value != kept.get(key)) {
            return value;
        }
        Object copy = copier.apply(value);
        if (copy != value) {
            values.put((String) key, copy);
        }
        return copy;
    }

    @Override
    public Object put(String key, Object value) {
        Object previous = get(key);
        values.put(key, value);
        return previous;
    }

    @Override
    public Object remove(Object key) {
        Object previous = get(key);
        values.remove(key);
        return previous;
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public int size() {
        return values.size();
    }

    @Override
    public void clear() {
        values.clear();
    }

    @Override
    public Set<String> keySet() {
        return values.keySet();
    }

    @Override
    public Collection<Object> values() {
        copyAll();
        return values.values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        copyAll();
        return values.entrySet();
    }

    private void copyAll() {
        if (allCopied) {
            return;
        }
        for (Entry<String, Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            if (value != null && value == kept.get(entry.getKey())) {
                entry.setValue(copier.apply(value));
            }
        }
        allCopied = true;
    }
}
