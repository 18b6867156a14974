package io.sessionkit.memcached;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.Redaction;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.ops.OperationStatus;
import net.spy.memcached.ops.StatusCode;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Sends the operations of one {@link MemcachedSessionBackend} and of its capabilities through
 * its client, and turns what goes wrong into exceptions that name the server, never the key (it
 * holds the session id).
 *
 * <p>Every operation waits at most the operation timeout ({@code SESSION_MEMCACHED_TIMEOUT}). A
 * timeout, a refused or cancelled operation, or a closed client is thrown as a
 * {@link SessionBackendException} of type {@link MemcachedSessionBackendProvider#TYPE}.
 * spymemcached cancels an operation in flight when its connection drops, and marks that server
 * as down; such an operation is sent once more, to go to a live server or to wait for this one,
 * and its {@link Answer} says so, because the first one may have run: an operation that must not
 * run twice then checks what it finds. Thread-safe.
 */
final class MemcachedCommands {

    /**
     * memcached's per-item overhead counted against the item size limit besides key and value:
     * item header, CAS and line ends (59 bytes measured on memcached 1.6), rounded up.
     */
    static final int ITEM_OVERHEAD_BYTES = 64;

    // Expiry is decided by the memcached servers' clocks, so absolute expiration times are
    // computed from the real time, not from SessionConfig.clock().
    private static final Clock SERVER_CLOCK = Clock.systemUTC();

    private final BackendClient<MemcachedClient> client;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Duration timeout;
    private final int itemSizeMax;

    /**
     * @param client      the client to use, and whether {@link #close()} shuts it down
     * @param timeout     how long any operation may wait
     * @param itemSizeMax the servers' item size limit in bytes
     */
    MemcachedCommands(BackendClient<MemcachedClient> client, Duration timeout, int itemSizeMax) {
        this.client = client;
        this.timeout = timeout;
        this.itemSizeMax = itemSizeMax;
    }

    /**
     * What memcached answered.
     *
     * @param value  the operation's result
     * @param status its status, when it has one
     * @param resent whether this is the answer to the operation sent a second time, after the
     *               first was cancelled by a dropped connection and so may or may not have run
     */
    record Answer<T>(T value, OperationStatus status, boolean resent) {

        /** @return whether memcached answered that the key is absent */
        boolean notFound() {
            return status != null && status.getStatusCode() == StatusCode.ERR_NOT_FOUND;
        }

        /** @return whether memcached answered that the key exists (with another CAS, or at all for add) */
        boolean exists() {
            return status != null && (status.getStatusCode() == StatusCode.ERR_EXISTS
                    || status.getStatusCode() == StatusCode.ERR_NOT_STORED);
        }
    }

    /**
     * @return the client
     */
    MemcachedClient client() {
        return client.get();
    }

    /**
     * Sends an operation and waits for its answer, at most the timeout; when the first attempt
     * is cancelled by a dropped connection, it is sent once more.
     *
     * @param operation the operation for failure messages: load, save, touch, delete, lock, unlock
     * @param key       the key, to name its server in messages
     * @param request   queues the operation
     * @param <T>       its result
     * @return the answer
     * @throws SessionBackendException when it times out, fails, or is cancelled twice
     */
    <T> Answer<T> call(String operation, String key, Supplier<? extends Future<T>> request) {
        for (int attempt = 1; ; attempt++) {
            Future<T> pending = submit(operation, request);
            try {
                T value = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Answer<>(value, pending instanceof OperationFuture<?> op ? op.getStatus() : null, attempt > 1);
            } catch (TimeoutException e) {
                // A write that timed out must not land later, after the caller was told it failed.
                pending.cancel(true);
                throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "no answer from memcached at "
                        + nodeOf(key) + " within " + timeout.toMillis() + " ms (" + MemcachedSettings.TIMEOUT
                        + "); check that the server is running and reachable", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (attempt == 1 && cause instanceof CancellationException) {
                    continue;
                }
                throw failed(operation, key, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.cancel(true);
                throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation,
                        "interrupted while waiting for memcached", e);
            } catch (RuntimeException e) {
                throw failed(operation, key, e);
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
            throw new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation,
                    "the memcached client did not accept the request: " + Redaction.message(e.toString()), e);
        }
    }

    private SessionBackendException failed(String operation, String key, Throwable cause) {
        return new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation,
                "memcached at " + nodeOf(key) + " failed: " + Redaction.message(String.valueOf(cause), key), cause);
    }

    /**
     * @param operation the operation
     * @param key       the key, to name its server
     * @param status    memcached's answer
     * @return a failure saying what memcached answered
     */
    SessionBackendException refused(String operation, String key, OperationStatus status) {
        return new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "memcached at " + nodeOf(key)
                + " answered " + status.getStatusCode() + " (" + status.getMessage() + ")", null);
    }

    /**
     * @param operation the operation
     * @param key       the key, to name its server
     * @param message   what went wrong and what to do
     * @return a failure naming the key's server
     */
    SessionBackendException failure(String operation, String key, String message) {
        return new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation,
                message + " (memcached at " + nodeOf(key) + ")", null);
    }

    /**
     * Refuses a value that does not fit in one item before it is sent, because memcached
     * deletes the stored item when it refuses an oversized write.
     *
     * @param key   the key it is to be stored under
     * @param value the value
     * @throws SessionTooLargeException when it does not fit
     */
    void checkSize(String key, byte[] value) {
        long limit = largestValueFor(key);
        if (value.length > limit) {
            throw new SessionTooLargeException(value.length, limit, "a memcached item ("
                    + MemcachedSettings.ITEM_SIZE_MAX + "=" + itemSizeMax
                    + ", less the key and " + ITEM_OVERHEAD_BYTES + " bytes of item header)");
        }
    }

    /**
     * Stores an item only if there is none ({@code add}). Sent a second time after a dropped
     * connection, it may find the item its first attempt stored: an item holding exactly
     * {@code value} counts as added by this call, which is right for values nobody else
     * writes under that key (a new session's bytes under its random id, a lock's token).
     *
     * @param operation  the operation for failure messages
     * @param key        the key
     * @param value      the value
     * @param expiration memcached's expiration argument
     * @return whether this call added the item
     */
    boolean add(String operation, String key, byte[] value, int expiration) {
        Answer<Boolean> added = call(operation, key, () -> client().add(key, expiration, value, RawBytesTranscoder.INSTANCE));
        if (Boolean.TRUE.equals(added.value())) {
            return true;
        }
        if (!added.exists()) {
            throw writeRefused(operation, key, value, added.status());
        }
        return added.resent() && holds(operation, key, value);
    }

    /**
     * @param operation the operation
     * @param key       the key a write was refused for
     * @param value     the value
     * @param status    memcached's answer
     * @return the failure to throw: one that names {@code SESSION_MEMCACHED_ITEM_SIZE_MAX} when
     *         the server found the value too large, else {@link #refused}
     */
    SessionBackendException writeRefused(String operation, String key, byte[] value, OperationStatus status) {
        if (status.getStatusCode() == StatusCode.ERR_2BIG) {
            return new SessionBackendException(MemcachedSessionBackendProvider.TYPE, operation, "memcached at " + nodeOf(key)
                    + " refused the " + value.length + "-byte session as larger than its item size limit, which is below "
                    + MemcachedSettings.ITEM_SIZE_MAX + "=" + itemSizeMax
                    + "; memcached drops the stored session when it refuses a write, so set "
                    + MemcachedSettings.ITEM_SIZE_MAX + " to the servers' item size limit (memcached -I)", null);
        }
        return refused(operation, key, status);
    }

    /**
     * The CAS value of an item, which is what the conditional operations compare.
     *
     * @param operation the operation
     * @param key       the key
     * @param item      the item as read with its CAS value
     * @return the CAS value
     * @throws SessionBackendException when it is 0: the server runs without CAS ({@code -C}),
     *                                 and a CAS of 0 in a write would make it unconditional
     */
    long casOf(String operation, String key, CASValue<?> item) {
        return checkedCas(operation, key, item.getCas());
    }

    /**
     * @param operation the operation
     * @param key       the key
     * @param cas       a CAS value to send
     * @return it, when it is not 0
     * @throws SessionBackendException when it is 0, which memcached reads as "no CAS check"
     */
    long checkedCas(String operation, String key, long cas) {
        if (cas == 0) {
            throw failure(operation, key, "memcached keeps no CAS values (it was started with -C), and conditional"
                    + " writes and session locks compare them: start memcached without -C");
        }
        return cas;
    }

    /**
     * Reads an item with its CAS value ({@code gets}).
     *
     * @param operation the operation for failure messages
     * @param key       the key
     * @return the item, or {@code null} when absent
     */
    CASValue<byte[]> gets(String operation, String key) {
        return call(operation, key, () -> client().asyncGets(key, RawBytesTranscoder.INSTANCE)).value();
    }

    /**
     * @param operation the operation for failure messages
     * @param key       the key
     * @param value     some bytes
     * @return whether the item under {@code key} holds exactly {@code value}
     */
    private boolean holds(String operation, String key, byte[] value) {
        CASValue<byte[]> item = gets(operation, key);
        return item != null && Arrays.equals(item.getValue(), value);
    }

    /**
     * @param key a store key
     * @return the largest value that fits in one item under {@code key}
     */
    long largestValueFor(String key) {
        return (long) itemSizeMax - key.getBytes(StandardCharsets.UTF_8).length - ITEM_OVERHEAD_BYTES;
    }

    /**
     * @param timeToLive a time to live
     * @return memcached's expiration argument for it, see {@link MemcachedExpiration}
     */
    static int expirationOf(Duration timeToLive) {
        return MemcachedExpiration.of(timeToLive, SERVER_CLOCK.instant());
    }

    /**
     * Makes every later operation fail, and shuts the client down if SessionKit built it.
     */
    void close() {
        closed.set(true);
        client.close();
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
