package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.spi.SessionRecord;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The engine's {@link Session}: loads itself from the store on first use and records what the
 * request changed. The views {@code keySet()}, {@code values()} and {@code entrySet()} are
 * read-only, so that every change passes through a tracked method.
 */
final class TrackedSession implements Session {

    private final SessionSource source;
    private final String requestedId;
    private final boolean cookieSent;

    private boolean loaded;
    private boolean accessed;
    private boolean modified;
    private boolean isNew;
    private boolean permanent;
    private String id;
    /** The id the store holds this session's data under, or null when it holds none. */
    private String storedId;
    private Map<String, Object> attributes;

    // The change set: allocated on first change, because most requests change nothing.
    private Set<String> changed;
    private Set<String> removed;
    /** Keys set this request that the stored session did not have: removing them is no removal. */
    private Set<String> added;
    private List<String> staleIds;

    TrackedSession(SessionSource source, String requestedId, boolean cookieSent) {
        this.source = source;
        this.requestedId = requestedId;
        this.cookieSent = cookieSent;
    }

    private void use() {
        accessed = true;
        if (!loaded) {
            SessionRecord record = requestedId == null ? null : source.load(requestedId);
            if (record != null) {
                attributes = record.attributes();
                permanent = record.permanent();
                id = requestedId;
                storedId = requestedId;
            } else {
                startFresh();
            }
            loaded = true;
        }
    }

    private void startFresh() {
        attributes = new LinkedHashMap<>();
        permanent = source.permanentByDefault();
        id = source.newId();
        isNew = true;
    }

    // ---- life cycle -------------------------------------------------------------------------

    @Override
    public String id() {
        use();
        return id;
    }

    @Override
    public boolean isNew() {
        use();
        return isNew;
    }

    @Override
    public boolean isModified() {
        return modified;
    }

    @Override
    public boolean isAccessed() {
        return accessed;
    }

    @Override
    public boolean isPermanent() {
        use();
        return permanent;
    }

    @Override
    public void setPermanent(boolean permanent) {
        use();
        if (this.permanent != permanent) {
            this.permanent = permanent;
            modified = true;
        }
    }

    @Override
    public void markModified() {
        use();
        modified = true;
        attributes.keySet().forEach(this::recordSet);
    }

    @Override
    public void markModified(String key) {
        use();
        modified = true;
        if (attributes.containsKey(key)) {
            recordSet(key);
        }
    }

    @Override
    public void regenerate() {
        use();
        retireStoredId();
        id = source.newId();
        modified = true;
    }

    @Override
    public void invalidate() {
        use();
        retireStoredId();
        changed = null;
        removed = null;
        added = null;
        modified = false;
        startFresh();
    }

    private void retireStoredId() {
        if (storedId != null) {
            if (staleIds == null) {
                staleIds = new ArrayList<>(1);
            }
            staleIds.add(storedId);
            storedId = null;
        }
    }

    @Override
    public Set<String> changedKeys() {
        return changed == null ? Set.of() : Collections.unmodifiableSet(changed);
    }

    @Override
    public Set<String> removedKeys() {
        return removed == null ? Set.of() : Collections.unmodifiableSet(removed);
    }

    private void recordSet(String key) {
        modified = true;
        if (changed == null) {
            changed = new LinkedHashSet<>();
        }
        boolean storedThenRemoved = removed != null && removed.remove(key);
        if (!storedThenRemoved && !attributes.containsKey(key)) {
            if (added == null) {
                added = new LinkedHashSet<>();
            }
            added.add(key);
        }
        changed.add(key);
    }

    private void recordRemoval(Object key) {
        modified = true;
        if (changed != null) {
            changed.remove(key);
        }
        if (added == null || !added.remove(key)) {
            if (removed == null) {
                removed = new LinkedHashSet<>();
            }
            removed.add((String) key);
        }
    }

    // ---- state the engine reads at save time --------------------------------------------------

    SessionSource source() {
        return source;
    }

    boolean cookieSent() {
        return cookieSent;
    }

    String storedId() {
        return storedId;
    }

    List<String> staleIds() {
        return staleIds == null ? List.of() : staleIds;
    }

    Map<String, Object> attributes() {
        return attributes;
    }

    // ---- typed reads --------------------------------------------------------------------------

    @Override
    public <T> T get(String key, Class<T> type) {
        return get(key, (Type) type);
    }

    @Override
    public <T> T get(String key, Type type) {
        use();
        Object value = attributes.get(key);
        return value == null ? null : source.convert(value, type);
    }

    // ---- Map ----------------------------------------------------------------------------------

    @Override
    public int size() {
        use();
        return attributes.size();
    }

    @Override
    public boolean isEmpty() {
        use();
        return attributes.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        use();
        return attributes.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        use();
        return attributes.containsValue(value);
    }

    @Override
    public Object get(Object key) {
        use();
        return attributes.get(key);
    }

    @Override
    public Object put(String key, Object value) {
        Objects.requireNonNull(key, "session attribute name");
        use();
        recordSet(key);
        return attributes.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        use();
        if (!attributes.containsKey(key)) {
            return null;
        }
        recordRemoval(key);
        return attributes.remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ?> values) {
        values.forEach(this::put);
    }

    @Override
    public void clear() {
        use();
        for (String key : List.copyOf(attributes.keySet())) {
            recordRemoval(key);
        }
        attributes.clear();
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        use();
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            recordSet(entry.getKey());
            entry.setValue(function.apply(entry.getKey(), entry.getValue()));
        }
    }

    @Override
    public Set<String> keySet() {
        use();
        return Collections.unmodifiableSet(attributes.keySet());
    }

    @Override
    public Collection<Object> values() {
        use();
        return Collections.unmodifiableCollection(attributes.values());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        use();
        return Collections.unmodifiableMap(attributes).entrySet();
    }

    @Override
    public boolean equals(Object other) {
        use();
        return other == this || attributes.equals(other);
    }

    @Override
    public int hashCode() {
        use();
        return attributes.hashCode();
    }

    /** Names the attributes but not their values, which may be private; never loads the session. */
    @Override
    public String toString() {
        return loaded ? "Session" + attributes.keySet() : "Session[not loaded]";
    }
}
