package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.spi.VersionedEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A backend with a {@link NearCache} in front ({@code SESSION_NEAR_CACHE}): reads are answered
 * from this process's memory while the store's {@link InvalidationFeed} vouches for the copy, and
 * every change goes to the store, whose answer decides what is kept. Saves stay conditional on
 * the version of the copy the request read, so a copy that turns out stale is refused by the
 * store like any other, and the engine merges as it always does.
 *
 * <p>The engine reads through {@link ExpiryReportingLoad} (so every copy has a known expiry and
 * a throttled refresh can run on it) and never through {@link TouchingLoad}, which this decorator
 * does not offer: a read that writes would be told back as a change of its own.
 */
final class NearCachedBackend implements SessionBackend {

    private static final Logger LOG = LoggerFactory.getLogger(NearCachedBackend.class);

    private final SessionBackend store;
    private final ConditionalWrites storeWrites;
    private final ExpiryReportingLoad storeLoad;
    private final InvalidationFeed feed;
    private final NearCache cache;
    private final InvalidationFeed.Subscription subscription;
    private final Clock clock;
    private final SessionEngineObserver observer;
    private final ConditionalWrites writes = new CachedWrites();
    private final ExpiryReportingLoad expiryLoad = this::read;

    private NearCachedBackend(SessionBackend store, ConditionalWrites storeWrites, ExpiryReportingLoad storeLoad,
                              InvalidationFeed feed, SessionConfig config, SessionEngineObserver observer) {
        this.store = store;
        this.observer = observer;
        this.storeWrites = storeWrites;
        this.storeLoad = storeLoad;
        this.feed = feed;
        this.clock = config.clock();
        this.cache = new NearCache(config.nearCache(), feed, clock);
        try {
            this.subscription = feed.subscribe(config.keyPrefix(), cache);
            cache.watch(subscription);
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    /**
     * Puts a near cache in front of a backend when {@code SESSION_NEAR_CACHE} asks for one and the
     * backend can keep it coherent; otherwise says why there is none and returns the backend.
     *
     * @param backendName the backend's name in messages
     * @param observer    hears whether each read was answered from memory
     * @return the backend to use
     */
    static SessionBackend wrapIfEnabled(SessionConfig config, SessionBackend backend, String backendName,
                                        SessionEngineObserver observer) {
        if (!config.nearCache().enabled()) {
            return backend;
        }
        Optional<InvalidationFeed> feed = backend.capability(InvalidationFeed.class);
        Optional<ConditionalWrites> writes = backend.capability(ConditionalWrites.class);
        Optional<ExpiryReportingLoad> load = backend.capability(ExpiryReportingLoad.class);
        if (feed.isEmpty() || writes.isEmpty() || load.isEmpty()) {
            List<String> missing = new ArrayList<>();
            feed.ifPresentOrElse(f -> { }, () -> missing.add(InvalidationFeed.class.getSimpleName()));
            writes.ifPresentOrElse(w -> { }, () -> missing.add(ConditionalWrites.class.getSimpleName()));
            load.ifPresentOrElse(l -> { }, () -> missing.add(ExpiryReportingLoad.class.getSimpleName()));
            LOG.warn("{} is set but the backend '{}' cannot keep copies in memory coherent (it does not offer {}): the"
                    + " near cache is off, and every request reads its session from the store",
                    ConfigKeys.SESSION_NEAR_CACHE, backendName, String.join(", ", missing));
            return backend;
        }
        NearCachedBackend cached = new NearCachedBackend(backend, writes.get(), load.get(), feed.get(), config,
                observer);
        LOG.info("Near cache on: up to {} kept in memory, kept coherent by the backend '{}'", config.nearCache(),
                backendName);
        return cached;
    }

    private VersionedEntry read(String key) {
        NearCache.Copy copy = cache.lookup(key);
        if (copy != null) {
            observer.nearCacheHit();
            return new VersionedEntry(copy.value(), copy.version(), copy.expiresAt());
        }
        observer.nearCacheMiss();
        NearCache.Ticket ticket = cache.beforeRead(key);
        VersionedEntry entry = storeLoad.loadWithExpiry(key);
        cache.afterRead(key, ticket,
                entry == null ? null : new NearCache.Copy(entry.value(), entry.version(), entry.expiresAt()));
        return entry;
    }

    /**
     * Makes a change in the store, around which the cache learns to expect its telling.
     *
     * @param outcome from the store's answer, what the entry now is from the copy held before; or
     *                {@code null} when the change was refused, so that the copy is forgotten
     */
    private <T> T change(String key, Supplier<T> call, Function<T, UnaryOperator<NearCache.Copy>> outcome) {
        NearCache.Ticket ticket = cache.beforeWrite(key);
        T answer;
        try {
            answer = call.get();
        } catch (RuntimeException | Error e) {
            cache.afterFailedWrite(key); // it may have been made: nothing known is kept
            throw e;
        }
        UnaryOperator<NearCache.Copy> result = outcome.apply(answer);
        if (result == null) {
            cache.afterFailedWrite(key);
        } else {
            cache.afterWrite(key, ticket, result);
        }
        return answer;
    }

    /** A change that answers nothing; {@code result} as for {@link #change}, {@code null} to forget the entry. */
    private void write(String key, Runnable call, UnaryOperator<NearCache.Copy> result) {
        change(key, () -> {
            call.run();
            return null;
        }, done -> result);
    }

    private UnaryOperator<NearCache.Copy> written(byte[] value, Instant expiresAt) {
        NearCache.Copy copy = new NearCache.Copy(value, feed.versionOf(value), expiresAt);
        return before -> copy;
    }

    /** The expiry a write sets, counted from before it was sent: never later than the store's. */
    private Instant expiryFrom(Duration timeToLive) {
        return clock.instant().plus(timeToLive);
    }

    @Override
    public byte[] load(String key) {
        VersionedEntry entry = read(key);
        return entry == null ? null : entry.value();
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        Instant expiresAt = expiryFrom(timeToLive);
        write(key, () -> store.save(key, value, timeToLive), written(value, expiresAt));
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        Instant expiresAt = expiryFrom(timeToLive);
        write(key, () -> store.touch(key, timeToLive), before -> before == null ? null : before.withExpiry(expiresAt));
    }

    @Override
    public void delete(String key) {
        write(key, () -> store.delete(key), null);
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        if (type == ConditionalWrites.class) {
            return Optional.of(type.cast(writes));
        }
        if (type == ExpiryReportingLoad.class) {
            return Optional.of(type.cast(expiryLoad));
        }
        if (type == TouchingLoad.class || type == InvalidationFeed.class) {
            return Optional.empty();
        }
        return store.capability(type);
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } finally {
            cache.close();
            store.close();
        }
    }

    /** The store's conditional writes, with the cache kept in step. */
    private final class CachedWrites implements ConditionalWrites {

        @Override
        public VersionedEntry loadVersioned(String key) {
            return read(key);
        }

        @Override
        public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
            Instant expiresAt = expiryFrom(timeToLive);
            return change(key, () -> storeWrites.loadVersionedAndTouch(key, timeToLive), entry -> entry == null ? null
                    : before -> new NearCache.Copy(entry.value(), entry.version(), expiresAt));
        }

        @Override
        public boolean create(String key, byte[] value, Duration timeToLive) {
            Instant expiresAt = expiryFrom(timeToLive);
            return change(key, () -> storeWrites.create(key, value, timeToLive),
                    created -> created ? written(value, expiresAt) : null);
        }

        @Override
        public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
            Instant expiresAt = expiryFrom(timeToLive);
            return change(key, () -> storeWrites.replace(key, expectedVersion, value, timeToLive),
                    replaced -> replaced ? written(value, expiresAt) : null);
        }

        @Override
        public boolean delete(String key, long expectedVersion) {
            return change(key, () -> storeWrites.delete(key, expectedVersion), deleted -> null);
        }
    }
}
