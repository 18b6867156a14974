package io.sessionkit.memcached;

import io.sessionkit.spi.SessionLocks;
import net.spy.memcached.CASValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Session locks on memcached: a lock is its own item, the session key followed by
 * {@value #SUFFIX}, holding the holder's token, with the lease as its expiry, so memcached itself
 * frees the lock of a holder that died. memcached counts expiry in whole seconds and from its
 * last clock tick, so the lease is rounded up to whole seconds and one second is added: a lock
 * is never freed before its lease, and may outlive it by up to two seconds. With several
 * servers the lock and its session may live on different servers; they are used by separate
 * operations, so that is fine.
 *
 * <ul>
 *   <li>{@link #tryLock}: {@code add}, one round trip.</li>
 *   <li>{@link #unlock}: {@code gets}, then, if the item holds the token, {@code delete} with its
 *       CAS value, so that a lock taken over by another holder in between is left alone. Two
 *       round trips: memcached has no delete-if-value.</li>
 * </ul>
 * An {@code add} sent again after a dropped connection (see {@link MemcachedCommands}) that
 * finds the lock taken reads it: the lock is this holder's if it holds its token, so the first
 * attempt's lock does not block its own holder until the lease ends. Thread-safe.
 */
final class MemcachedSessionLocks implements SessionLocks {

    /** What a session key is followed by to name its lock. */
    static final String SUFFIX = ":lock";

    private final MemcachedCommands commands;

    MemcachedSessionLocks(MemcachedCommands commands) {
        this.commands = commands;
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
        String lockKey = key + SUFFIX;
        byte[] holder = token.getBytes(StandardCharsets.UTF_8);
        return commands.add("lock", lockKey, holder, MemcachedCommands.expirationOf(lease));
    }

    @Override
    public void unlock(String key, String token) {
        String lockKey = key + SUFFIX;
        CASValue<byte[]> held = commands.gets("unlock", lockKey);
        if (held == null || !Arrays.equals(held.getValue(), token.getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        long cas = commands.casOf("unlock", lockKey, held);
        MemcachedCommands.Answer<Boolean> deleted = commands.call("unlock", lockKey, () -> commands.client().delete(lockKey, cas));
        if (!Boolean.TRUE.equals(deleted.value()) && !deleted.notFound() && !deleted.exists()) {
            throw commands.refused("unlock", lockKey, deleted.status());
        }
    }
}
