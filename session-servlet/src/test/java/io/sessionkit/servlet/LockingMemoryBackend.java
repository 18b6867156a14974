package io.sessionkit.servlet;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.VersionedEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store with conditional writes and session locks, for the filter's tests of
 * {@code SESSION_CONFLICT} and {@code SESSION_LOCKING}: each operation atomic under the store's
 * monitor, as a real store's single command is, entries and leases expiring by the given clock.
 * Like {@link ObservedBackend} it lets a test look inside (who holds a lock, each entry's time
 * to live) and fail writes as an unreachable store does, while reads and locks keep working.
 */
final class LockingMemoryBackend implements SessionBackend, ConditionalWrites, SessionLocks {

    private record Entry(byte[] value, long version, Duration timeToLive, Instant expires) {
    }

    private record Lock(String token, Instant until) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Lock> locks = new HashMap<>();
    private long nextVersion = 1;
    final AtomicBoolean writesDown = new AtomicBoolean();
    final AtomicInteger lockAttempts = new AtomicInteger();
    final AtomicInteger unlocks = new AtomicInteger();

    LockingMemoryBackend(Clock clock) {
        this.clock = clock;
    }

    // ---- what tests look at --------------------------------------------------------------------

    /** The keys of the entries that have not expired. */
    synchronized Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        entries.keySet().forEach(key -> {
            if (live(key) != null) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** The time to live the entry was last written or touched with, or null when absent. */
    synchronized Duration timeToLive(String key) {
        Entry entry = live(key);
        return entry == null ? null : entry.timeToLive();
    }

    /** Whether a lock whose lease has not run out is held on the key. */
    synchronized boolean locked(String key) {
        Lock lock = locks.get(key);
        return lock != null && clock.instant().isBefore(lock.until());
    }

    /** Whether any lock whose lease has not run out is held. */
    synchronized boolean anyLocked() {
        return locks.keySet().stream().anyMatch(this::locked);
    }

    // ---- SessionBackend ------------------------------------------------------------------------

    private Entry live(String key) {
        Entry entry = entries.get(key);
        if (entry != null && !clock.instant().isBefore(entry.expires())) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    private void requireWritable(String operation) {
        if (writesDown.get()) {
            throw new SessionBackendException("locking-memory", operation, "writes were switched off by the test", null);
        }
    }

    private void put(String key, byte[] value, Duration timeToLive) {
        entries.put(key, new Entry(value.clone(), nextVersion++, timeToLive, clock.instant().plus(timeToLive)));
    }

    @Override
    public synchronized byte[] load(String key) {
        Entry entry = live(key);
        return entry == null ? null : entry.value().clone();
    }

    @Override
    public synchronized void save(String key, byte[] value, Duration timeToLive) {
        requireWritable("save");
        put(key, value, timeToLive);
    }

    @Override
    public synchronized void touch(String key, Duration timeToLive) {
        requireWritable("touch");
        Entry entry = live(key);
        if (entry != null) {
            entries.put(key, new Entry(entry.value(), entry.version(), timeToLive, clock.instant().plus(timeToLive)));
        }
    }

    @Override
    public synchronized void delete(String key) {
        requireWritable("delete");
        entries.remove(key);
    }

    @Override
    public void close() {
    }

    // ---- ConditionalWrites ---------------------------------------------------------------------

    @Override
    public synchronized VersionedEntry loadVersioned(String key) {
        Entry entry = live(key);
        return entry == null ? null : new VersionedEntry(entry.value().clone(), entry.version());
    }

    @Override
    public synchronized VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        Entry entry = live(key);
        if (entry == null) {
            return null;
        }
        entries.put(key, new Entry(entry.value(), entry.version(), timeToLive, clock.instant().plus(timeToLive)));
        return new VersionedEntry(entry.value().clone(), entry.version());
    }

    @Override
    public synchronized boolean create(String key, byte[] value, Duration timeToLive) {
        requireWritable("create");
        if (live(key) != null) {
            return false;
        }
        put(key, value, timeToLive);
        return true;
    }

    @Override
    public synchronized boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        requireWritable("replace");
        Entry entry = live(key);
        if (entry == null || entry.version() != expectedVersion) {
            return false;
        }
        put(key, value, timeToLive);
        return true;
    }

    @Override
    public synchronized boolean delete(String key, long expectedVersion) {
        requireWritable("delete");
        Entry entry = live(key);
        if (entry == null || entry.version() != expectedVersion) {
            return false;
        }
        entries.remove(key);
        return true;
    }

    // ---- SessionLocks --------------------------------------------------------------------------

    @Override
    public synchronized boolean tryLock(String key, String token, Duration lease) {
        lockAttempts.incrementAndGet();
        if (locked(key)) {
            return false;
        }
        locks.put(key, new Lock(token, clock.instant().plus(lease)));
        return true;
    }

    @Override
    public synchronized void unlock(String key, String token) {
        unlocks.incrementAndGet();
        Lock lock = locks.get(key);
        if (lock != null && lock.token().equals(token)) {
            locks.remove(key);
        }
    }
}
