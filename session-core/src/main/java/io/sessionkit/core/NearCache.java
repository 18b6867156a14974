package io.sessionkit.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sessionkit.spi.InvalidationFeed;
import io.sessionkit.spi.InvalidationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Copies of stored entries in this process's memory ({@code SESSION_NEAR_CACHE}), served only
 * while the store's {@link InvalidationFeed} vouches for them.
 *
 * <p>Each key has a slot, replaced as a whole under Caffeine's per-key {@code compute}. A copy is
 * served only when it is <em>trusted</em>: read from the store, or written there by this process,
 * with no change told in between, in the feed's current epoch (the feed going down and up again
 * starts a new one and empties the cache), and not past its expiry by the engine's clock.
 *
 * <p>Reads and writes of the store take a {@link Ticket} first: the slot's stamp, which every
 * change the feed tells renews. A copy is kept only when the stamp is still the ticket's, so a
 * change told while the read was under way is never hidden by the older copy it returned.
 *
 * <p>This process's own writes are told by the feed too. Each one counts as an own change
 * pending on its slot: a change told while one is pending may be this process's own, or another
 * writer's told in the same breath, so the copy is kept but no longer trusted, and a background
 * thread asks the store for the current versions (many keys in one round trip) and trusts the copy
 * again only if the store still holds exactly it. A change told with none pending drops the copy.
 */
final class NearCache implements InvalidationListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NearCache.class);
    /** Keys confirmed per round trip. */
    static final int VERIFY_BATCH = 128;
    /**
     * How long the verifier gathers keys after the first one before it asks: with writes coming
     * steadily, one round trip then confirms the copies of many, at the price of a read of one of
     * them in that time going to the store.
     */
    static final Duration VERIFY_GATHERING = Duration.ofMillis(1);
    /**
     * How long a read waits for the feed to tell what it had received before asking the store: a
     * few round trips to a store on the same network. The wait is for the feed's thread to be
     * scheduled, which on a busy machine takes longer than the one round trip it saves; a read
     * that waits in vain pays this much more for its session.
     */
    static final Duration CATCH_UP_PATIENCE = Duration.ofMillis(1);
    /** How long a slot without a copy may stay, for the memory only. */
    private static final long UNKNOWN_EXPIRY_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** A slot's fixed cost in bytes, beside its key and value, when the limit counts bytes. */
    private static final int SLOT_OVERHEAD = 96;

    /**
     * An entry as the store holds it.
     *
     * @param value     its bytes
     * @param version   the store's version of them
     * @param expiresAt when it expires
     */
    record Copy(byte[] value, long version, Instant expiresAt) {

        Copy withExpiry(Instant newExpiry) {
            return new Copy(value, version, newExpiry);
        }
    }

    /** What a read or write of the store hands back to keep a copy; {@code null} when none may be kept. */
    record Ticket(long stamp, long epoch) {
    }

    /**
     * @param copy        the copy, or {@code null} while a read is under way
     * @param trusted     whether {@code copy} may be served
     * @param ownPending  changes this process made whose telling is still to come
     * @param writing     changes this process is making: their outcome will replace the copy
     * @param stamp       renewed by every change told
     * @param epoch       the feed's epoch the slot belongs to
     */
    private record Slot(Copy copy, boolean trusted, int ownPending, int writing, long stamp, long epoch) {

        Slot with(Copy newCopy, boolean newTrusted) {
            return new Slot(newCopy, newTrusted, ownPending, writing, stamp, epoch);
        }

        int weight(String key) {
            return SLOT_OVERHEAD + 2 * key.length() + (copy == null ? 0 : copy.value().length);
        }
    }

    private final Cache<String, Slot> slots;
    private final InvalidationFeed feed;
    private final Clock clock;
    private final AtomicLong stamps = new AtomicLong();
    private final BlockingQueue<String> toVerify = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Thread verifier;
    private final Duration gathering;
    private volatile InvalidationFeed.Subscription subscription;
    /** Changes at every {@link #live()}, {@link #lost()} and {@link #invalidatedAll()}. */
    private final AtomicLong epochs = new AtomicLong();
    private volatile boolean live;
    private volatile boolean closed;

    /**
     * @param size  the bound, in sessions or bytes
     * @param feed  the store's feed, for confirming copies after this process's own writes; the
     *              caller subscribes this cache to it
     * @param clock the engine's clock, which decides expiry
     */
    NearCache(NearCacheSize size, InvalidationFeed feed, Clock clock) {
        this(size, feed, clock, VERIFY_GATHERING);
    }

    /** @param gathering how long the verifier gathers keys before it asks the store */
    NearCache(NearCacheSize size, InvalidationFeed feed, Clock clock, Duration gathering) {
        this.feed = feed;
        this.gathering = gathering;
        this.clock = clock;
        // Eviction on the calling thread: no work handed to the common pool, and the bound holds
        // when a call returns.
        Caffeine<String, Slot> builder = Caffeine.newBuilder().executor(Runnable::run).expireAfter(new SlotExpiry());
        this.slots = size.inBytes()
                ? builder.maximumWeight(size.limit()).weigher((String key, Slot slot) -> slot.weight(key)).build()
                : builder.maximumSize(size.limit()).build();
        this.verifier = new Thread(this::verifyUntilClosed, "sessionkit-near-cache-verifier");
        verifier.setDaemon(true);
        verifier.start();
    }

    /**
     * @param feed the subscription every copy served waits for, until it has told what it had
     *             received ({@link InvalidationFeed.Subscription#awaitCaughtUp})
     */
    void watch(InvalidationFeed.Subscription feed) {
        this.subscription = feed;
    }

    /**
     * @param key an entry's key
     * @return the trusted, unexpired copy of it, or {@code null} when the store must be asked
     */
    Copy lookup(String key) {
        // Caught up first, the slot after: a telling that arrived before this look is then
        // either still waiting (and the store is asked) or already applied to the slot read below.
        InvalidationFeed.Subscription feed = subscription;
        if (!live || feed == null || !feed.awaitCaughtUp(CATCH_UP_PATIENCE)) {
            return null;
        }
        Slot slot = slots.getIfPresent(key);
        if (slot == null || !slot.trusted() || slot.epoch() != epochs.get()) {
            return null;
        }
        Copy copy = slot.copy();
        if (copy.expiresAt().isAfter(clock.instant())) {
            return copy;
        }
        slots.asMap().remove(key, slot);
        return null;
    }

    /**
     * Called before reading an entry from the store.
     *
     * @return the ticket to hand to {@link #afterRead}, or {@code null} while the feed is down
     */
    Ticket beforeRead(String key) {
        return begin(key, 0);
    }

    /**
     * Keeps what a read found, unless a change was told since {@link #beforeRead} or this process
     * changed the entry meanwhile (the read may have come before or after that change).
     *
     * @param copy what the store holds, or {@code null} when the entry is absent
     */
    void afterRead(String key, Ticket ticket, Copy copy) {
        if (ticket == null) {
            return;
        }
        slots.asMap().computeIfPresent(key, (k, slot) -> {
            if (!current(slot, ticket) || slot.copy() != null || slot.writing() > 0) {
                return slot;
            }
            return copy == null || copy.expiresAt() == null ? null : slot.with(copy, true);
        });
    }

    /**
     * Called before changing an entry in the store: the change's telling is now expected.
     *
     * @return the ticket to hand to {@link #afterWrite} or {@link #afterFailedWrite}, or
     *         {@code null} while the feed is down
     */
    Ticket beforeWrite(String key) {
        return begin(key, 1);
    }

    /**
     * Keeps the copy a change of the store left, trusted only when nothing was told since
     * {@link #beforeWrite} and no other change of this process is pending (whose copy could land
     * after this one though the store has it before); otherwise the store is asked whether it
     * still holds exactly this copy.
     *
     * @param result what the entry now is, with its expiry, from the copy held before (which may
     *               be {@code null}); a result of {@code null} forgets the entry
     */
    void afterWrite(String key, Ticket ticket, UnaryOperator<Copy> result) {
        if (ticket == null) {
            return;
        }
        Slot kept = slots.asMap().computeIfPresent(key, (k, slot) -> {
            if (ticket.epoch() != epochs.get()) {
                return null;
            }
            Copy copy = result.apply(slot.copy());
            if (copy == null) {
                return null;
            }
            boolean alone = slot.stamp() == ticket.stamp() && slot.ownPending() == 1 && slot.writing() == 1;
            return new Slot(copy, alone, slot.ownPending(), slot.writing() - 1, slot.stamp(), slot.epoch());
        });
        if (kept != null && !kept.trusted()) {
            verifyLater(key);
        }
    }

    /**
     * Forgets an entry after a change of the store that was refused or whose outcome is unknown:
     * the copy held is not what the store holds, or may not be.
     */
    void afterFailedWrite(String key) {
        slots.invalidate(key);
    }

    private Ticket begin(String key, int ownChanges) {
        if (!live) {
            return null;
        }
        long current = epochs.get();
        Slot slot = slots.asMap().compute(key, (k, old) -> old == null || old.epoch() != current
                ? new Slot(null, false, ownChanges, ownChanges, stamps.incrementAndGet(), current)
                : new Slot(old.copy(), old.trusted(), old.ownPending() + ownChanges, old.writing() + ownChanges,
                        old.stamp(), current));
        return new Ticket(slot.stamp(), current);
    }

    private boolean current(Slot slot, Ticket ticket) {
        return live && slot.stamp() == ticket.stamp() && ticket.epoch() == epochs.get();
    }

    @Override
    public void invalidated(String key) {
        Slot kept = slots.asMap().computeIfPresent(key, (k, slot) -> slot.ownPending() == 0 ? null
                : new Slot(slot.copy(), false, slot.ownPending() - 1, slot.writing(), stamps.incrementAndGet(),
                        slot.epoch()));
        // While a change of this process is under way, its end (which sees the new stamp) asks.
        if (kept != null && kept.copy() != null && kept.writing() == 0) {
            verifyLater(key);
        }
    }

    @Override
    public void invalidatedAll() {
        epochs.incrementAndGet();
        slots.invalidateAll();
    }

    @Override
    public void live() {
        epochs.incrementAndGet();
        live = true;
    }

    @Override
    public void lost() {
        live = false;
        epochs.incrementAndGet();
        slots.invalidateAll();
    }

    /**
     * @return the number of keys with a slot, trusted or not
     */
    long size() {
        return slots.estimatedSize();
    }

    private void verifyLater(String key) {
        if (queued.add(key)) {
            toVerify.add(key);
        }
    }

    private void verifyUntilClosed() {
        List<String> batch = new ArrayList<>(VERIFY_BATCH);
        while (!closed) {
            try {
                batch.add(toVerify.take());
                TimeUnit.NANOSECONDS.sleep(gathering.toNanos());
            } catch (InterruptedException e) {
                return;
            }
            toVerify.drainTo(batch, VERIFY_BATCH - 1);
            batch.forEach(queued::remove);
            verify(batch);
            batch.clear();
        }
    }

    /** Trusts again each copy the store still holds exactly, and forgets the others. */
    void verify(List<String> keys) {
        List<String> asked = new ArrayList<>(keys.size());
        List<Slot> seen = new ArrayList<>(keys.size());
        for (String key : keys) {
            Slot slot = slots.getIfPresent(key);
            if (slot != null && !slot.trusted() && slot.copy() != null) {
                asked.add(key);
                seen.add(slot);
            }
        }
        if (asked.isEmpty()) {
            return;
        }
        List<Long> versions;
        try {
            versions = feed.currentVersions(asked);
        } catch (RuntimeException e) {
            LOG.debug("near cache could not confirm {} copies; forgetting them", asked.size(), e);
            asked.forEach(slots::invalidate);
            return;
        }
        for (int i = 0; i < asked.size(); i++) {
            Slot before = seen.get(i);
            Long version = versions.get(i);
            slots.asMap().computeIfPresent(asked.get(i), (k, slot) -> {
                if (slot.stamp() != before.stamp() || slot.epoch() != before.epoch() || slot.copy() != before.copy()
                        || slot.writing() > 0) {
                    return slot; // changed since it was asked about, or changing: what changes it decides
                }
                return Objects.equals(version, slot.copy().version()) ? slot.with(slot.copy(), true) : null;
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        live = false;
        verifier.interrupt();
        slots.invalidateAll();
    }

    /** Lets Caffeine drop a slot when its copy expires; {@link #lookup} checks the engine's clock besides. */
    private final class SlotExpiry implements Expiry<String, Slot> {
        @Override
        public long expireAfterCreate(String key, Slot slot, long currentTime) {
            Copy copy = slot.copy(); // a copy is kept only with its expiry
            if (copy == null) {
                return UNKNOWN_EXPIRY_NANOS;
            }
            return Math.max(0, Duration.between(clock.instant(), copy.expiresAt()).toNanos());
        }

        @Override
        public long expireAfterUpdate(String key, Slot slot, long currentTime, long currentDuration) {
            return expireAfterCreate(key, slot, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Slot slot, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
