package io.sessionkit.memcached;

import io.sessionkit.SessionTooLargeException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;

import java.time.Duration;
import java.util.Optional;

/**
 * Sessions in memcached through spymemcached: one item per session, its bytes stored as they
 * are, its expiry set by memcached.
 *
 * <p>Operations are sent as described in {@link MemcachedCommands}: bounded by the operation
 * timeout, failures thrown as {@link io.sessionkit.SessionBackendException}s naming the server.
 * With the client SessionKit builds, a session whose server is down while other servers are up
 * loads as {@code null}, so its user gets a fresh session (see {@code docs/backends/memcached.md},
 * "Failure modes").
 *
 * <p>Values larger than the item size limit ({@code SESSION_MEMCACHED_ITEM_SIZE_MAX}) are
 * refused with a {@link SessionTooLargeException} before they are sent, because memcached
 * deletes the stored item when it refuses an oversized write.
 *
 * <p>Capabilities, with a client that speaks the binary protocol (the one SessionKit builds
 * does): {@link TouchingLoad} ({@code gat}), {@link ConditionalWrites}
 * ({@link MemcachedConditionalWrites}) and {@link SessionLocks} ({@link MemcachedSessionLocks}).
 * spymemcached offers neither get-and-touch nor delete-with-CAS over the text protocol, so a
 * handed-in text-protocol client gets none of them: reads and refreshes take two operations,
 * and saves are blind.
 *
 * <p>Thread-safe. {@link #close()} shuts the client down only if the backend built it.
 */
public final class MemcachedSessionBackend implements SessionBackend, TouchingLoad {

    private final MemcachedCommands commands;
    private final boolean binaryProtocol;
    private final ConditionalWrites conditionalWrites;
    private final SessionLocks locks;

    /**
     * @param client         the client to use, and whether {@link #close()} shuts it down
     * @param timeout        how long any operation may wait
     * @param itemSizeMax    the servers' item size limit in bytes
     * @param binaryProtocol whether the client speaks the binary protocol
     */
    MemcachedSessionBackend(BackendClient<MemcachedClient> client, Duration timeout, int itemSizeMax,
                            boolean binaryProtocol) {
        this.commands = new MemcachedCommands(client, timeout, itemSizeMax);
        this.binaryProtocol = binaryProtocol;
        this.conditionalWrites = new MemcachedConditionalWrites(commands);
        this.locks = new MemcachedSessionLocks(commands);
    }

    @Override
    public byte[] load(String key) {
        return commands.call("load", key, () -> commands.client().asyncGet(key, RawBytesTranscoder.INSTANCE)).value();
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        CASValue<byte[]> item = getAndTouch(commands, key, timeToLive);
        return item == null ? null : item.getValue();
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        commands.checkSize(key, value);
        int expiration = MemcachedCommands.expirationOf(timeToLive);
        MemcachedCommands.Answer<Boolean> stored = commands.call("save", key,
                () -> commands.client().set(key, expiration, value, RawBytesTranscoder.INSTANCE));
        if (!Boolean.TRUE.equals(stored.value())) {
            throw commands.writeRefused("save", key, value, stored.status());
        }
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        int expiration = MemcachedCommands.expirationOf(timeToLive);
        MemcachedCommands.Answer<Boolean> touched = commands.call("touch", key, () -> commands.client().touch(key, expiration));
        if (!Boolean.TRUE.equals(touched.value()) && !touched.notFound()) {
            throw commands.refused("touch", key, touched.status());
        }
    }

    @Override
    public void delete(String key) {
        MemcachedCommands.Answer<Boolean> deleted = commands.call("delete", key, () -> commands.client().delete(key));
        if (!Boolean.TRUE.equals(deleted.value()) && !deleted.notFound()) {
            throw commands.refused("delete", key, deleted.status());
        }
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        if (type == ConditionalWrites.class) {
            return binaryOnly(type, conditionalWrites);
        }
        if (type == SessionLocks.class) {
            return binaryOnly(type, locks);
        }
        if (type == TouchingLoad.class) {
            return binaryOnly(type, this);
        }
        return SessionBackend.super.capability(type);
    }

    private <C> Optional<C> binaryOnly(Class<C> type, Object capability) {
        return binaryProtocol ? Optional.of(type.cast(capability)) : Optional.empty();
    }

    @Override
    public void close() {
        commands.close();
    }

    /**
     * @param key a store key
     * @return the largest value that fits in one item under {@code key}
     */
    long largestValueFor(String key) {
        return commands.largestValueFor(key);
    }

    /**
     * Reads an item with its CAS value and sets its expiry, in one {@code gat}; memcached keeps
     * the CAS value as it was.
     *
     * @param commands   the backend's operations
     * @param key        the key
     * @param timeToLive the new time to live
     * @return the item, or {@code null} when absent
     */
    static CASValue<byte[]> getAndTouch(MemcachedCommands commands, String key, Duration timeToLive) {
        int expiration = MemcachedCommands.expirationOf(timeToLive);
        return commands.call("load", key,
                () -> commands.client().asyncGetAndTouch(key, expiration, RawBytesTranscoder.INSTANCE)).value();
    }
}
