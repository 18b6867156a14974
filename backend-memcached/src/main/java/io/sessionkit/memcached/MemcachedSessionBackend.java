package io.sessionkit.memcached;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.ops.OperationStatus;
import net.spy.memcached.ops.StatusCode;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sessions in memcached through spymemcached: one item per session, its bytes stored as they
 * are, its expiry set by memcached.
 *
 * <p>Every operation waits at most the operation timeout ({@code SESSION_MEMCACHED_TIMEOUT}),
 * or twice that when it is sent again after its connection dropped; a timeout, a refused or
 * cancelled operation, or a closed client is thrown as a {@link SessionBackendException} of
 * type {@link MemcachedSessionBackendProvider#TYPE}. Messages name the server, never the key (it holds the session id).
 * With the client SessionKit builds, a session whose server is down while other servers are
 * up loads as {@code null}, so its user gets a fresh session (see {@code docs/stores/memcached.md},
 * "Failure modes").
 *
 * <p>Values larger than the item size limit ({@code SESSION_MEMCACHED_ITEM_SIZE_MAX}) are
 * refused with a {@link SessionTooLargeException} before they are sent, because memcached
 * deletes the stored item when it refuses an oversized write.
 *
 * <p>Thread-safe. {@link #close()} shuts the client down only if the backend built it.
 */
public final class MemcachedSessionBackend implements SessionBackend, TouchingLoad {

    /**
     * memcached's per-item overhead counted against the item size limit besides key and value:
     * item header, CAS and line ends (59 bytes measured on memcached 1.6), rounded up.
     */
    static final int ITEM_OVERHEAD_BYTES = 64;

    // Expiry is decided by the memcached servers' clocks, so absolute expiration times are
    // computed from the real time, not from SessionConfig.clock().
    private static final Clock SERVER_CLOCK = Clock.systemUTC();

    private final BackendClient<MemcachedClient> client;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Duration timeout;
    private final int itemSizeMax;

    /**
     * @param client      the client to use, and whether {@link #close()} shuts it down
     * @param timeout     how long any operation may wait
     * @param itemSizeMax the servers' item size limit in bytes
     */
    MemcachedSessionBackend(BackendClient<MemcachedClient> client, Duration timeout, int itemSizeMax) {
        this.client = client;
        this.timeout = timeout;
        this.itemSizeMax = itemSizeMax;
    }

    @Override
    public byte[] load(String key) {
        return call("load", key, () -> client.get().asyncGet(key, RawBytesTranscoder.INSTANCE)).value();
    }

    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        int expiration = expirationOf(timeToLive);
        CASValue<byte[]> item = call("load", key,
                () -> client.get().asyncGetAndTouch(key, expiration, RawBytesTranscoder.INSTANCE)).value();
        return item == null ? null : item.getValue();
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        long limit = largestValueFor(key);
        if (value.length > limit) {
            throw new SessionTooLargeException(value.length, limit, "a memcached item ("
                    + MemcachedSettings.ITEM_SIZE_MAX + "=" + itemSizeMax
                    + ", less the key and " + ITEM_OVERHEAD_BYTES + " bytes of item header)");
        }
        int expiration = expirationOf(timeToLive);
        Answer<Boolean> stored = call("save", key,
                () -> client.get().set(key, expiration, value, RawBytesTranscoder.INSTANCE));
        if (Boolean.TRUE.equals(stored.value())) {
            return;
        }
        if (stored.status().getStatusCode() == StatusCode.ERR_2BIG) {
            throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, "save", "memcached at " + nodeOf(key) + " refused the "
                    + value.length + "-byte session as larger than its item size limit, which is below "
                    + MemcachedSettings.ITEM_SIZE_MAX + "=" + itemSizeMax
                    + "; memcached drops the stored session when it refuses a write, so set "
                    + MemcachedSettings.ITEM_SIZE_MAX
                    + " to the servers' item size limit (memcached -I)", null);
        }
        throw refused("save", key, stored.status());
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        int expiration = expirationOf(timeToLive);
        Answer<Boolean> touched = call("touch", key, () -> client.get().touch(key, expiration));
        if (!Boolean.TRUE.equals(touched.value()) && !isNotFound(touched.status())) {
            throw refused("touch", key, touched.status());
        }
    }

    @Override
    public void delete(String key) {
        Answer<Boolean> deleted = call("delete", key, () -> client.get().delete(key));
        if (!Boolean.TRUE.equals(deleted.value()) && !isNotFound(deleted.status())) {
            throw refused("delete", key, deleted.status());
        }
    }

    @Override
    public void close() {
        closed.set(true);
        client.close();
    }

    /**
     * @param key a store key
     * @return the largest value that fits in one item under {@code key}
     */
    long largestValueFor(String key) {
        return (long) itemSizeMax - key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - ITEM_OVERHEAD_BYTES;
    }

    private static int expirationOf(Duration timeToLive) {
        return MemcachedExpiration.of(timeToLive, SERVER_CLOCK.instant());
    }

    /** What memcached answered: the operation's result, and its status when it has one. */
    private record Answer<T>(T value, OperationStatus status) {
    }

    /**
     * Sends an operation and waits for its answer, at most the timeout. spymemcached cancels
     * an operation in flight when its connection drops, and marks that server as down; every
     * operation here is idempotent, so it is sent once more, to go to a live server or to wait
     * for this one.
     */
    private <T> Answer<T> call(String operation, String key, Supplier<? extends Future<T>> request) {
        for (int attempt = 1; ; attempt++) {
            Future<T> pending = submit(operation, request);
            try {
                T value = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Answer<>(value, pending instanceof OperationFuture<?> op ? op.getStatus() : null);
            } catch (TimeoutException e) {
                // A write that timed out must not land later, after the caller was told it failed.
                pending.cancel(true);
                throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "no answer from memcached at " + nodeOf(key)
                        + " within " + timeout.toMillis() + " ms (" + MemcachedSettings.TIMEOUT
                        + "); check that the server is running and reachable", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (attempt == 1 && cause instanceof CancellationException) {
                    continue;
                }
                throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "memcached at " + nodeOf(key) + " failed: " + cause,
                        cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.cancel(true);
                throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "interrupted while waiting for memcached", e);
            } catch (RuntimeException e) {
                throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "memcached at " + nodeOf(key) + " failed: " + e, e);
            }
        }
    }

    /** Queues an operation; spymemcached throws at once when closed, or when its queue stays full. */
    private <F> F submit(String operation, Supplier<F> request) {
        if (closed.get()) {
            // A handed-in client stays open after close: the backend must refuse work by itself.
            throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "the backend is closed", null);
        }
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "the memcached client did not accept the request: " + e, e);
        }
    }

    private SessionBackendException refused(String operation, String key, OperationStatus status) {
        return new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "memcached at " + nodeOf(key) + " answered "
                + status.getStatusCode() + " (" + status.getMessage() + ")", null);
    }

    private static boolean isNotFound(OperationStatus status) {
        return status.getStatusCode() == StatusCode.ERR_NOT_FOUND;
    }

    private String nodeOf(String key) {
        try {
            SocketAddress address = client.get().getNodeLocator().getPrimary(key).getSocketAddress();
            return String.valueOf(address);
        } catch (RuntimeException e) {
            return "(server unknown)";
        }
    }
}
