package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.spi.SessionRecord;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The engine's {@link Session}: loads itself from the backend on first use and records what the
 * request changed. The views {@code keySet()}, {@code values()} and {@code entrySet()} are
 * read-only, so that every change passes through a tracked method.
 */
final class TrackedSession implements Session {

    private final SessionSource source;
    private final String requestedId;
    private final boolean cookieSent;
    private final boolean lock;

    private boolean loaded;
    private boolean accessed;
    private boolean modified;
    private boolean isNew;
    private boolean permanent;
    private String id;
    /** The id the backend holds this session's data under, or null when it holds none. */
    private String storedId;
    private Map<String, Object> attributes;
    /** What the backend held when this request read it; null for a session that was not stored. */
    private StoredSession stored;
    /** The id whose lock this request holds, until the engine releases it. */
    private String lockedId;
    /** The token that lock was taken with; kept apart from {@link #stored}, which invalidate() drops. */
    private String lockToken;
    private Instant created;
    private Duration maxInactive;
    private boolean maxInactiveChanged;
    private boolean permanentChanged;

    // The change set: allocated on first change, because most requests change nothing.
    private Set<String> changed;
    private Set<String> removed;
    /** Keys set this request that the stored session did not have: removing them is no removal. */
    private Set<String> added;
    private List<String> staleIds;
    /** The stored id a {@link #regenerate()} moved this session away from, until the save announces it. */
    private String renamedFrom;
    /** Stored ids the application ended, until the save announces them. */
    private List<String> endedIds;
    /** Keys whose values this request read, for SESSION_CONFLICT=fail; null until the first read. */
    private Set<String> readKeys;
    private boolean readAll;

    TrackedSession(SessionSource source, String requestedId, boolean cookieSent, boolean lock) {
        this.source = source;
        this.requestedId = requestedId;
        this.cookieSent = cookieSent;
        this.lock = lock;
    }

    private void use() {
        accessed = true;
        if (!loaded) {
            StoredSession found = requestedId == null ? null : source.load(requestedId, lock);
            if (found != null) {
                SessionRecord record = found.record();
                stored = found;
                lockedId = found.lockToken() == null ? null : requestedId;
                lockToken = found.lockToken();
                attributes = record.attributes();
                permanent = record.permanent();
                created = record.created() != null ? record.created() : source.now();
                maxInactive = record.maxInactive();
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
        created = source.now();
        maxInactive = null;
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
            permanentChanged = true;
            modified = true;
        }
    }

    @Override
    public Instant creationTime() {
        use();
        return created;
    }

    @Override
    public Optional<Duration> maxInactiveInterval() {
        use();
        return Optional.ofNullable(maxInactive);
    }

    @Override
    public void setMaxInactiveInterval(Duration timeout) {
        if (timeout != null && (timeout.isZero() || timeout.isNegative() || timeout.compareTo(SessionRecord.LONGEST_LIFETIME) > 0)) {
            throw new IllegalArgumentException("a session's idle timeout must be positive and at most "
                    + SessionRecord.LONGEST_LIFETIME + ", but was " + timeout);
        }
        use();
        if (!Objects.equals(maxInactive, timeout)) {
            maxInactive = timeout;
            maxInactiveChanged = true;
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
        if (renamedFrom == null) {
            renamedFrom = storedId;
        }
        retireStoredId();
        id = source.newId();
        modified = true;
    }

    @Override
    public void invalidate() {
        use();
        if (renamedFrom != null) {
            ended(renamedFrom);
            renamedFrom = null;
        }
        if (storedId != null) {
            ended(storedId);
        }
        retireStoredId();
        changed = null;
        removed = null;
        added = null;
        readKeys = null;
        readAll = false;
        modified = false;
        permanentChanged = false;
        maxInactiveChanged = false;
        stored = null;
        startFresh();
    }

    private void ended(String endedId) {
        if (endedIds == null) {
            endedIds = new ArrayList<>(1);
        }
        endedIds.add(endedId);
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

    /**
     * @return the stored id a regeneration moved this session away from, not yet announced, or
     *         {@code null}
     */
    String renamedFrom() {
        return renamedFrom;
    }

    /**
     * @return the stored ids the application ended, not yet announced
     */
    List<String> endedIds() {
        return endedIds == null ? List.of() : endedIds;
    }

    /** Records that the save told the listeners about the ended ids. */
    void endedAnnounced() {
        endedIds = null;
    }

    /** Records that the save told the listeners about the new session or its new id. */
    void renameAnnounced() {
        renamedFrom = null;
    }

    /**
     * Records what the backend holds under {@link #storedId()} after a save of this request
     * wrote it, so that a later save replaces that version.
     */
    void storedAgain(StoredSession written) {
        stored = written;
    }

    /** Records that the save deleted this emptied session's record: the backend holds nothing under its id. */
    void storedRecordDeleted() {
        storedId = null;
        stored = null;
    }

    /**
     * @return what the backend held under {@link #storedId()} when this request read it, or
     *         {@code null} when it holds nothing under that id
     */
    StoredSession stored() {
        return storedId == null ? null : stored;
    }

    /**
     * @return the id whose lock this request holds, or {@code null}
     */
    String lockedId() {
        return lockedId;
    }

    /**
     * @return the token of the lock this request holds, or {@code null}
     */
    String lockToken() {
        return lockedId == null ? null : lockToken;
    }

    void lockReleased() {
        lockedId = null;
    }

    /**
     * Records that a save wrote this session under its current id and deleted its stale ids, so
     * that an {@link #invalidate()} or {@link #regenerate()} later in the same request (after a
     * servlet response's commit point, say) retires the record that save wrote.
     */
    void savedUnderId() {
        if (!id.equals(storedId)) {
            // New or regenerated: what this request read, if anything, is not what is under this id.
            storedId = id;
            stored = null;
        }
        staleIds = null;
    }

    /**
     * @return the session as a record to save: the stored version plus one; its attributes are
     *         to be read, not changed
     */
    SessionRecord toRecord() {
        long version = stored == null ? 1 : stored.record().version() + 1;
        Instant absoluteExpiry = stored != null && stored.record().absoluteExpiry() != null
                ? stored.record().absoluteExpiry() : source.absoluteExpiryOf(created);
        // What is saved is only read: values this request never reached need no copy of their own.
        Map<String, Object> saved = attributes instanceof AttributesCopiedOnRead shared
                ? shared.forReading() : attributes;
        return new SessionRecord(saved, permanent, version, created, maxInactive, absoluteExpiry);
    }

    /**
     * Applies this request's change set to a record another request saved meanwhile: the keys
     * set here take this request's values, the keys removed here go, and the permanent flag and
     * idle timeout change only if this request changed them. Everything else stays as the other
     * request left it.
     *
     * @param current the record now stored
     * @return the record to save in its place, one version later
     */
    SessionRecord mergeOnto(SessionRecord current) {
        Map<String, Object> merged = new LinkedHashMap<>(current.attributes());
        if (changed != null) {
            for (String key : changed) {
                merged.put(key, attributes.get(key));
            }
        }
        if (removed != null) {
            removed.forEach(merged::remove);
        }
        return new SessionRecord(merged, permanentChanged ? permanent : current.permanent(), current.version() + 1,
                current.created() != null ? current.created() : created,
                maxInactiveChanged ? maxInactive : current.maxInactive(), current.absoluteExpiry());
    }

    /**
     * The attributes this request read and then set or removed whose stored value another
     * request changed meanwhile: neither request saw the other's value.
     *
     * @param original the record as this request read it
     * @param current  the record now stored
     * @return those attributes, possibly empty
     */
    Set<String> conflictsWith(SessionRecord original, SessionRecord current) {
        Set<String> conflicts = new LinkedHashSet<>();
        List<String> written = new ArrayList<>();
        if (changed != null) {
            written.addAll(changed);
        }
        if (removed != null) {
            written.addAll(removed);
        }
        for (String key : written) {
            boolean read = readAll || (readKeys != null && readKeys.contains(key));
            if (read && !Objects.equals(original.attributes().get(key), current.attributes().get(key))) {
                conflicts.add(key);
            }
        }
        return conflicts;
    }

    private void recordRead(Object key) {
        if (source.tracksReads() && key instanceof String name) {
            if (readKeys == null) {
                readKeys = new LinkedHashSet<>();
            }
            readKeys.add(name);
        }
    }

    private void recordReadAll() {
        readAll = source.tracksReads();
    }

    // ---- typed reads --------------------------------------------------------------------------

    @Override
    public <T> T get(String key, Class<T> type) {
        return get(key, (Type) type);
    }

    @Override
    public <T> T get(String key, Type type) {
        use();
        recordRead(key);
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
        recordRead(key);
        return attributes.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        use();
        recordReadAll();
        return attributes.containsValue(value);
    }

    @Override
    public Object get(Object key) {
        use();
        recordRead(key);
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
        recordReadAll();
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            recordSet(entry.getKey());
            entry.setValue(function.apply(entry.getKey(), entry.getValue()));
        }
    }

    @Override
    public Set<String> keySet() {
        use();
        recordReadAll();
        return Collections.unmodifiableSet(attributes.keySet());
    }

    @Override
    public Collection<Object> values() {
        use();
        recordReadAll();
        return Collections.unmodifiableCollection(attributes.values());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        use();
        recordReadAll();
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
