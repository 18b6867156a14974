package com.example.sessions.memory;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.VersionedEntry;

import java.time.Duration;
import java.time.Instant;

import static com.example.sessions.memory.MemorySessionBackend.ENTRIES;

/**
 * Conditional writes on the shared map: each method is one atomic map operation, as a real
 * store's single command is, and an expired entry counts as absent. A new entry ({@link #create})
 * has no principal; a replacement and a touch keep the entry's.
 */
final class MemoryConditionalWrites implements ConditionalWrites {

    private final MemorySessionBackend backend;

    MemoryConditionalWrites(MemorySessionBackend backend) {
        this.backend = backend;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        backend.requireOpen("load");
        MemorySessionBackend.Entry entry = ENTRIES.get(key);
        return entry == null || !entry.liveAt(backend.now()) ? null : new VersionedEntry(entry.value().clone(), entry.version());
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        backend.requireOpen("load");
        Instant now = backend.now();
        MemorySessionBackend.Entry touched = ENTRIES.computeIfPresent(key, (k, entry) -> entry.liveAt(now)
                ? entry.expiringAt(now.plus(timeToLive)) : entry);
        return touched == null || !touched.liveAt(now) ? null : new VersionedEntry(touched.value().clone(), touched.version());
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        backend.requireOpen("save");
        MemorySessionBackend.Entry created = backend.newEntry(value, timeToLive);
        Instant now = backend.now();
        return ENTRIES.compute(key, (k, entry) -> entry == null || !entry.liveAt(now) ? created : entry) == created;
    }

    /** The replacement keeps the principal of the entry it replaces. */
    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        backend.requireOpen("save");
        MemorySessionBackend.Entry replacement = backend.newEntry(value, timeToLive);
        Instant now = backend.now();
        boolean[] replaced = {false};
        ENTRIES.computeIfPresent(key, (k, entry) -> {
            replaced[0] = entry.liveAt(now) && entry.version() == expectedVersion;
            return replaced[0] ? entry.replacedBy(replacement, now) : entry;
        });
        return replaced[0];
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        backend.requireOpen("delete");
        Instant now = backend.now();
        boolean[] deleted = {false};
        ENTRIES.computeIfPresent(key, (k, entry) -> {
            deleted[0] = entry.liveAt(now) && entry.version() == expectedVersion;
            return deleted[0] ? null : entry;
        });
        return deleted[0];
    }
}
