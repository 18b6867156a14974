package io.sessionkit.bench.jmh;

import io.sessionkit.Session;
import io.sessionkit.bench.Cart;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import org.openjdk.jmh.annotations.Benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The load test's cart and read-only requests on an engine without I/O ({@link MapBackend}),
 * which a subclass builds in its setup: the engine's own CPU per request.
 */
public abstract class EngineRequests {

    /** The engine a subclass builds, with one visitor's session saved under {@link #cookie}. */
    protected SessionInterface sessions;
    protected String cookie;
    /** The items the visitor's cart holds. */
    protected int cartItems = Cart.MAX_ITEMS;

    /**
     * Saves a new visitor's session, whose id the requests then send.
     *
     * @param attributes what the visitor's session holds, its cart among them
     */
    protected final void saveVisitor(Map<String, Object> attributes) {
        Session session = sessions.open(null);
        session.putAll(attributes);
        sessions.save(session);
        cookie = session.id();
    }

    /** Open, read the cart, add an item, save: the cart request. */
    @Benchmark
    public SaveResult cartRequest() {
        Session session = sessions.open(cookie);
        Cart.addOneTo(session, cartItems);
        return sessions.save(session);
    }

    /** Open, read the cart, save (which only refreshes the cookie): the read-only request. */
    @Benchmark
    public SaveResult readRequest() {
        Session session = sessions.open(cookie);
        session.get(Cart.ATTRIBUTE);
        return sessions.save(session);
    }

    /** A store in a map, with the one-round-trip read of Redis's {@code GETEX}. */
    static final class MapBackend implements SessionBackend, TouchingLoad {
        private final Map<String, byte[]> entries = new ConcurrentHashMap<>();

        @Override
        public byte[] load(String key) {
            return entries.get(key);
        }

        @Override
        public byte[] loadAndTouch(String key, Duration timeToLive) {
            return entries.get(key);
        }

        @Override
        public void save(String key, byte[] value, Duration timeToLive) {
            entries.put(key, value);
        }

        @Override
        public void touch(String key, Duration timeToLive) {
            // Entries here do not expire.
        }

        @Override
        public void delete(String key) {
            entries.remove(key);
        }

        @Override
        public void close() {
            entries.clear();
        }
    }
}
