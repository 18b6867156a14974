package io.sessionkit.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A backend's client object and who owns it: a client the backend built from the configuration
 * is closed once, when the backend closes; a client the application handed in (see
 * {@link io.sessionkit.core.SessionConfig.Builder#client(Object)}) belongs to the application
 * and is never closed by the backend.
 *
 * <pre>{@code
 * BackendClient<JedisPooled> client = reader.client(JedisPooled.class, URL)
 *         .map(BackendClient::handedIn)
 *         .orElseGet(() -> BackendClient.owned(new JedisPooled(...), JedisPooled::close));
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 *
 * @param <T> the client type
 */
public final class BackendClient<T> implements AutoCloseable {

    /**
     * Closes a client; may throw anything its client throws.
     *
     * @param <T> the client type
     */
    @FunctionalInterface
    public interface Closer<T> {
        /**
         * @param client the client to close
         * @throws Exception when closing fails
         */
        void close(T client) throws Exception;
    }

    private final T client;
    private final Closer<? super T> closer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BackendClient(T client, Closer<? super T> closer) {
        this.client = Objects.requireNonNull(client, "client");
        this.closer = closer;
    }

    /**
     * @param client a client the backend built
     * @param closer how to close it
     * @param <T>    the client type
     * @return a client closed once by {@link #close()}
     */
    public static <T> BackendClient<T> owned(T client, Closer<? super T> closer) {
        return new BackendClient<>(client, Objects.requireNonNull(closer, "closer"));
    }

    /**
     * @param client a client the application handed in
     * @param <T>    the client type
     * @return a client that {@link #close()} leaves open
     */
    public static <T> BackendClient<T> handedIn(T client) {
        return new BackendClient<>(client, null);
    }

    /**
     * @return the client
     */
    public T get() {
        return client;
    }

    /**
     * @return whether the backend built the client and so closes it
     */
    public boolean owned() {
        return closer != null;
    }

    /**
     * Finishes a backend's construction with this client: prepares the store and builds the
     * backend in {@code construction}, and when that fails closes the client (if owned) before
     * rethrowing, so that a store that could not be prepared leaves no connection or thread
     * behind.
     *
     * <pre>{@code
     * return client.closeOnFailure(c -> {
     *     prepareTable(c.get());
     *     return new MyBackend(c);
     * });
     * }</pre>
     *
     * @param construction what remains of building the backend
     * @param <R>          what it builds
     * @return what {@code construction} returned
     */
    public <R> R closeOnFailure(Function<? super BackendClient<T>, ? extends R> construction) {
        try {
            return construction.apply(this);
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Closes an owned client the first time it is called; does nothing for a client handed in.
     *
     * @throws RuntimeException when the client's close fails, with the client's exception as
     *                          cause (an unchecked one is rethrown as it is)
     */
    @Override
    public void close() {
        if (closer == null || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            closer.close(client);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + client.getClass().getName() + " failed: " + e.getMessage(), e);
        }
    }
}
