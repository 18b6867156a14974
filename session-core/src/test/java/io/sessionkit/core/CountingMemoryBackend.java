package io.sessionkit.core;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.spi.VersionedEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory store for engine tests that records every call, so tests can count store round
 * trips and see exactly what was written.
 */
class CountingMemoryBackend implements SessionBackend {

    final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    final Map<String, Duration> timeToLive = new ConcurrentHashMap<>();
    final Map<String, Instant> expiresAt = new ConcurrentHashMap<>();
    final List<String> calls = new ArrayList<>();
    /** The clock expiry times are reckoned by; the engine's, when a test moves time. */
    Clock clock = Clock.systemUTC();
    RuntimeException failure;
    /** When set, {@link #failure} is thrown only by calls that start with this verb. */
    String failingVerb;

    @Override
    public byte[] load(String key) {
        record("load " + key);
        return entries.get(key);
    }

    @Override
    public void save(String key, byte[] value, Duration ttl) {
        record("save " + key);
        entries.put(key, value.clone());
        expire(key, ttl);
    }

    @Override
    public void touch(String key, Duration ttl) {
        record("touch " + key);
        if (entries.containsKey(key)) {
            expire(key, ttl);
        }
    }

    @Override
    public void delete(String key) {
        record("delete " + key);
        entries.remove(key);
    }

    @Override
    public void close() {
        record("close");
    }

    void expire(String key, Duration ttl) {
        timeToLive.put(key, ttl);
        expiresAt.put(key, clock.instant().plus(ttl));
    }

    void record(String call) {
        if (failure != null && (failingVerb == null || call.startsWith(failingVerb + " "))) {
            throw failure;
        }
        synchronized (calls) {
            calls.add(call);
        }
    }

    List<String> callsStartingWith(String verb) {
        return calls.stream().filter(c -> c.startsWith(verb + " ")).toList();
    }

    /**
     * The same store with conditional writes and session locks, each operation atomic under the
     * store's monitor, as a real store's single command or statement is; its read extends the life
     * in the same call ({@link TouchingLoad}), so the engine reads with
     * {@link #loadVersionedAndTouch}.
     */
    static class Versioned extends CountingMemoryBackend implements ConditionalWrites, SessionLocks, TouchingLoad {
        final Map<String, Long> versions = new ConcurrentHashMap<>();
        final Map<String, String> locks = new ConcurrentHashMap<>();
        /** The lease the last {@link #tryLock} was asked for. */
        volatile Duration lastLease;
        private long nextVersion = 1;

        @Override
        public synchronized void save(String key, byte[] value, Duration ttl) {
            super.save(key, value, ttl);
            versions.put(key, nextVersion++);
        }

        @Override
        public synchronized void delete(String key) {
            super.delete(key);
            versions.remove(key);
        }

        @Override
        public synchronized VersionedEntry loadVersioned(String key) {
            record("loadVersioned " + key);
            byte[] value = entries.get(key);
            return value == null ? null : new VersionedEntry(value, versions.get(key));
        }

        @Override
        public synchronized VersionedEntry loadVersionedAndTouch(String key, Duration ttl) {
            record("loadVersionedAndTouch " + key);
            byte[] value = entries.get(key);
            if (value == null) {
                return null;
            }
            expire(key, ttl);
            return new VersionedEntry(value, versions.get(key));
        }

        @Override
        public synchronized byte[] loadAndTouch(String key, Duration ttl) {
            VersionedEntry entry = loadVersionedAndTouch(key, ttl);
            return entry == null ? null : entry.value();
        }

        @Override
        public synchronized boolean create(String key, byte[] value, Duration ttl) {
            record("create " + key);
            if (entries.containsKey(key)) {
                return false;
            }
            put(key, value, ttl);
            return true;
        }

        @Override
        public synchronized boolean replace(String key, long expectedVersion, byte[] value, Duration ttl) {
            record("replace " + key);
            if (!Long.valueOf(expectedVersion).equals(versions.get(key))) {
                return false;
            }
            put(key, value, ttl);
            return true;
        }

        @Override
        public synchronized boolean delete(String key, long expectedVersion) {
            record("conditional delete " + key);
            if (!Long.valueOf(expectedVersion).equals(versions.get(key))) {
                return false;
            }
            entries.remove(key);
            versions.remove(key);
            return true;
        }

        private void put(String key, byte[] value, Duration ttl) {
            entries.put(key, value.clone());
            expire(key, ttl);
            versions.put(key, nextVersion++);
        }

        @Override
        public synchronized boolean tryLock(String key, String token, Duration lease) {
            record("tryLock " + key);
            lastLease = lease;
            return locks.putIfAbsent(key, token) == null;
        }

        @Override
        public synchronized void unlock(String key, String token) {
            record("unlock " + key);
            locks.remove(key, token);
        }
    }

    /**
     * The versioned store whose read cannot extend the life in the same round trip, as a file's
     * cannot: it does not offer {@link TouchingLoad}.
     */
    static final class SeparateTouch extends Versioned {
        @Override
        public <C> Optional<C> capability(Class<C> type) {
            return type == TouchingLoad.class ? Optional.empty() : super.capability(type);
        }
    }

    /** The versioned store whose reads also report expiry. */
    static class ExpiryReporting extends Versioned implements ExpiryReportingLoad {
        @Override
        public synchronized VersionedEntry loadWithExpiry(String key) {
            record("loadWithExpiry " + key);
            byte[] value = entries.get(key);
            return value == null ? null : new VersionedEntry(value, versions.get(key), expiresAt.get(key));
        }
    }

    /** The same store with the optional one-round-trip read-and-refresh. */
    static final class Touching extends CountingMemoryBackend implements TouchingLoad {
        @Override
        public byte[] loadAndTouch(String key, Duration ttl) {
            record("loadAndTouch " + key);
            byte[] value = entries.get(key);
            if (value != null) {
                expire(key, ttl);
            }
            return value;
        }
    }

    /**
     * The versioned store with a principal index, kept in the entries or beside them, and a
     * listing whose cursor is the number of keys already handed out in key order.
     */
    static class Indexed extends ExpiryReporting implements PrincipalIndex, SessionListing {
        private final boolean keptInEntry;
        final Map<String, String> principals = new ConcurrentHashMap<>();

        Indexed(boolean keptInEntry) {
            this.keptInEntry = keptInEntry;
        }

        @Override
        public synchronized void delete(String key) {
            super.delete(key);
            if (keptInEntry) {
                principals.remove(key);
            }
        }

        @Override
        public synchronized void assign(String key, String previous, String principal, Duration ttl) {
            record("assign " + key + " " + previous + "->" + principal);
            if (principal == null) {
                principals.remove(key);
            } else if (!keptInEntry || entries.containsKey(key)) {
                principals.put(key, principal);
            }
        }

        @Override
        public synchronized List<ListedEntry> entriesOf(String principal) {
            record("entriesOf " + principal);
            List<ListedEntry> listed = new ArrayList<>();
            principals.forEach((key, owner) -> {
                if (owner.equals(principal) && entries.containsKey(key)) {
                    listed.add(new ListedEntry(key, entries.get(key), expiresAt.get(key)));
                }
            });
            return listed;
        }

        @Override
        public boolean keptInEntry() {
            return keptInEntry;
        }

        @Override
        public synchronized long count(String keyPrefix) {
            record("count " + keyPrefix);
            return entries.keySet().stream().filter(key -> key.startsWith(keyPrefix)).count();
        }

        @Override
        public synchronized ListedPage list(String keyPrefix, String cursor, int limit) {
            record("list " + keyPrefix);
            int from;
            try {
                from = cursor == null ? 0 : Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a cursor: " + cursor, e);
            }
            List<String> keys = entries.keySet().stream().filter(key -> key.startsWith(keyPrefix)).sorted().toList();
            int to = Math.min(keys.size(), from + limit);
            List<ListedEntry> page = new ArrayList<>();
            for (String key : keys.subList(from, to)) {
                page.add(new ListedEntry(key, entries.get(key), expiresAt.get(key)));
            }
            return new ListedPage(page, to < keys.size() ? String.valueOf(to) : null);
        }
    }
}
