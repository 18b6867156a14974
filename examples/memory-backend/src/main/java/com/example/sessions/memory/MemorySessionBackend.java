package com.example.sessions.memory;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.Capabilities;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions in this JVM's memory: for one-node applications and tests. Every backend in the JVM
 * shares one map, as every node of an application shares one Redis, so a backend created again
 * (after a redeploy of the filter, say) still finds its sessions. Entries vanish with the
 * process; expired ones are dropped when a save finds the map full, or by {@link #purgeExpired()}.
 * Once closed, every call fails as a {@link SessionBackendException}.
 */
public final class MemorySessionBackend implements SessionBackend {

    /**
     * A stored session; {@code version} changes with every write, never with a touch.
     * {@code principal} is the user it belongs to, or {@code null}: kept in the entry, so it goes
     * when the entry goes, and every write of the same live session keeps it.
     */
    record Entry(byte[] value, Instant expiry, long version, String principal) {
        boolean liveAt(Instant now) {
            return expiry.isAfter(now);
        }

        /** @return this entry with another expiry: what a touch writes */
        Entry expiringAt(Instant newExpiry) {
            return new Entry(value, newExpiry, version, principal);
        }

        /** @return {@code next} with the principal of this entry when this one is live: what a rewrite writes */
        Entry replacedBy(Entry next, Instant now) {
            return liveAt(now) ? new Entry(next.value, next.expiry, next.version, principal) : next;
        }
    }

    static final ConcurrentMap<String, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final AtomicLong VERSIONS = new AtomicLong();
    private final Clock clock;
    private final int maxEntries;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Capabilities capabilities;

    MemorySessionBackend(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.capabilities = Capabilities.none()
                .with(ConditionalWrites.class, new MemoryConditionalWrites(this))
                .with(SessionLocks.class, new MemorySessionLocks(this))
                .with(PrincipalIndex.class, new MemoryPrincipalIndex(this))
                .with(SessionListing.class, new MemorySessionListing(this));
    }

    /** Hands out the four capabilities this store has, each in a class of its own. */
    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return capabilities.find(type).or(() -> SessionBackend.super.capability(type));
    }

    Instant now() {
        return clock.instant();
    }

    Entry newEntry(byte[] value, Duration timeToLive) {
        // A caller may reuse its array after the call: keep a copy of our own.
        return new Entry(value.clone(), clock.instant().plus(timeToLive), VERSIONS.incrementAndGet(), null);
    }

    @Override
    public byte[] load(String key) {
        requireOpen("load");
        Entry entry = ENTRIES.get(key);
        if (entry == null || !entry.liveAt(clock.instant())) {
            return null;
        }
        return entry.value().clone();
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        requireOpen("save");
        if (ENTRIES.size() >= maxEntries && !ENTRIES.containsKey(key)) {
            purgeExpired();
        }
        Entry saved = newEntry(value, timeToLive);
        Instant now = clock.instant();
        // A save of a live session keeps its principal; a new one over an expired entry has none.
        ENTRIES.merge(key, saved, (old, next) -> old.replacedBy(next, now));
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        requireOpen("touch");
        Instant now = clock.instant();
        ENTRIES.computeIfPresent(key, (k, entry) -> entry.liveAt(now) ? entry.expiringAt(now.plus(timeToLive)) : entry);
    }

    @Override
    public void delete(String key) {
        requireOpen("delete");
        ENTRIES.remove(key);
    }

    @Override
    public void close() {
        // The map outlives any one backend, as a server's data outlives its clients.
        closed.set(true);
    }

    void requireOpen(String operation) {
        if (closed.get()) {
            throw new SessionBackendException("memory", operation, "this backend has been closed", null);
        }
    }

    /** Drops every expired entry. */
    public void purgeExpired() {
        Instant now = clock.instant();
        ENTRIES.values().removeIf(entry -> !entry.liveAt(now));
    }
}
