package io.sessionkit.core;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.InvalidationListener;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.VersionedEntry;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory store for near-cache tests that tells every change to its subscribers, as Redis
 * does with tracking: versions are digests of the bytes, every change of an entry is told
 * (writes, touches, deletions, by whichever engine), and the test decides when tellings are
 * delivered ({@link #holdTellings}) and whether the feed is live. Counts the calls that reach it.
 */
class TellingMemoryBackend {

    private final Map<String, VersionedEntry> entries = new ConcurrentHashMap<>();
    private final List<Feed> feeds = new CopyOnWriteArrayList<>();
    private final Clock clock;
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** When set, tellings queue up until {@link #deliverTellings}. */
    volatile boolean holdTellings;
    /** When set, every change fails with it, after the store made it. */
    volatile RuntimeException writeFailure;
    /** When set, every change fails with it, before the store makes it. */
    volatile RuntimeException refusal;
    /** When set, {@link InvalidationFeed#currentVersions} fails. */
    volatile RuntimeException versionsFailure;

    TellingMemoryBackend(Clock clock) {
        this.clock = clock;
    }

    /** A backend on this store, as one node sees it, with its own feed. */
    SessionBackend node() {
        return new Node();
    }

    List<Feed> feeds() {
        return feeds;
    }

    void deliverTellings() {
        feeds.forEach(Feed::deliver);
    }

    long count(String verb) {
        return calls.stream().filter(call -> call.equals(verb)).count();
    }

    /** Changes an entry as another writer would, outside every engine. */
    synchronized void overwrite(String key, byte[] value, Duration timeToLive) {
        put(key, value, timeToLive);
    }

    synchronized void remove(String key) {
        if (entries.remove(key) != null) {
            tell(key);
        }
    }

    static long versionOf(byte[] value) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(value)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private VersionedEntry live(String key) {
        VersionedEntry entry = entries.get(key);
        return entry == null || !entry.expiresAt().isAfter(clock.instant()) ? null : entry;
    }

    private void put(String key, byte[] value, Duration timeToLive) {
        RuntimeException refused = refusal;
        if (refused != null) {
            throw refused;
        }
        entries.put(key, new VersionedEntry(value.clone(), versionOf(value), clock.instant().plus(timeToLive)));
        tell(key);
        RuntimeException failure = writeFailure;
        if (failure != null) {
            throw failure;
        }
    }

    private void tell(String key) {
        feeds.forEach(feed -> feed.tell(key));
    }

    /** One subscriber's feed. */
    final class Feed implements InvalidationFeed.Subscription {
        private final InvalidationListener listener;
        private final List<String> held = new ArrayList<>();
        volatile boolean caughtUp = true;
        volatile boolean closed;

        Feed(InvalidationListener listener) {
            this.listener = listener;
        }

        synchronized void tell(String key) {
            if (closed) {
                return;
            }
            if (holdTellings) {
                held.add(key);
            } else {
                listener.invalidated(key);
            }
        }

        synchronized void deliver() {
            held.forEach(listener::invalidated);
            held.clear();
        }

        void lose() {
            listener.lost();
        }

        void reconnect() {
            listener.live();
        }

        void flushAll() {
            listener.invalidatedAll();
        }

        @Override
        public boolean caughtUp() {
            return caughtUp;
        }

        @Override
        public void close() {
            closed = true;
            feeds.remove(this);
            listener.lost();
        }
    }

    private final class Node implements SessionBackend, ConditionalWrites, ExpiryReportingLoad, InvalidationFeed,
            ExpiredSessionCleanup {

        @Override
        public int deleteExpired() {
            calls.add("deleteExpired");
            int deleted = 0;
            for (String key : List.copyOf(entries.keySet())) {
                if (live(key) == null && entries.remove(key) != null) {
                    tell(key);
                    deleted++;
                }
            }
            return deleted;
        }

        @Override
        public byte[] load(String key) {
            calls.add("load");
            VersionedEntry entry = live(key);
            return entry == null ? null : entry.value();
        }

        @Override
        public void save(String key, byte[] value, Duration timeToLive) {
            calls.add("save");
            synchronized (TellingMemoryBackend.this) {
                put(key, value, timeToLive);
            }
        }

        @Override
        public void touch(String key, Duration timeToLive) {
            calls.add("touch");
            synchronized (TellingMemoryBackend.this) {
                VersionedEntry entry = live(key);
                if (entry != null) {
                    entries.put(key, new VersionedEntry(entry.value(), entry.version(), clock.instant().plus(timeToLive)));
                    tell(key);
                }
            }
        }

        @Override
        public void delete(String key) {
            calls.add("delete");
            remove(key);
        }

        @Override
        public VersionedEntry loadWithExpiry(String key) {
            calls.add("loadWithExpiry");
            return live(key);
        }

        @Override
        public VersionedEntry loadVersioned(String key) {
            calls.add("loadVersioned");
            VersionedEntry entry = live(key);
            return entry == null ? null : new VersionedEntry(entry.value(), entry.version());
        }

        @Override
        public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
            calls.add("loadVersionedAndTouch");
            touch(key, timeToLive);
            return loadVersioned(key);
        }

        @Override
        public boolean create(String key, byte[] value, Duration timeToLive) {
            calls.add("create");
            synchronized (TellingMemoryBackend.this) {
                if (live(key) != null) {
                    return false;
                }
                put(key, value, timeToLive);
                return true;
            }
        }

        @Override
        public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
            calls.add("replace");
            synchronized (TellingMemoryBackend.this) {
                VersionedEntry entry = live(key);
                if (entry == null || entry.version() != expectedVersion) {
                    return false;
                }
                put(key, value, timeToLive);
                return true;
            }
        }

        @Override
        public boolean delete(String key, long expectedVersion) {
            calls.add("conditionalDelete");
            synchronized (TellingMemoryBackend.this) {
                VersionedEntry entry = live(key);
                if (entry == null || entry.version() != expectedVersion) {
                    return false;
                }
                remove(key);
                return true;
            }
        }

        @Override
        public Subscription subscribe(String keyPrefix, InvalidationListener listener) {
            Feed feed = new Feed(listener);
            feeds.add(feed);
            listener.live();
            return feed;
        }

        @Override
        public long versionOf(byte[] value) {
            return TellingMemoryBackend.versionOf(value);
        }

        @Override
        public List<Long> currentVersions(List<String> keys) {
            calls.add("currentVersions");
            RuntimeException failure = versionsFailure;
            if (failure != null) {
                throw failure;
            }
            List<Long> versions = new ArrayList<>();
            for (String key : keys) {
                VersionedEntry entry = live(key);
                versions.add(entry == null ? null : entry.version());
            }
            return versions;
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }
}
