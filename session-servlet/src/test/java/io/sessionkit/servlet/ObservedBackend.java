package io.sessionkit.servlet;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.SessionBackend;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store seen through a window: counts the calls that reach it and, when switched off,
 * fails every call as an unreachable store does, so tests can take the store down and bring it
 * back with its data intact.
 */
final class ObservedBackend implements SessionBackend {

    private final SessionBackend store;
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger saves = new AtomicInteger();
    final AtomicInteger touches = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();

    ObservedBackend(SessionBackend store) {
        this.store = store;
    }

    int calls() {
        return loads.get() + saves.get() + touches.get() + deletes.get();
    }

    private void requireUp(String operation) {
        if (down.get()) {
            throw new SessionBackendException("filesystem", operation, "the store was switched off by the test", null);
        }
    }

    @Override
    public byte[] load(String key) {
        loads.incrementAndGet();
        requireUp("load");
        return store.load(key);
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        saves.incrementAndGet();
        requireUp("save");
        store.save(key, value, timeToLive);
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        touches.incrementAndGet();
        requireUp("touch");
        store.touch(key, timeToLive);
    }

    @Override
    public void delete(String key) {
        deletes.incrementAndGet();
        requireUp("delete");
        store.delete(key);
    }

    @Override
    public void close() {
        closed.set(true);
        store.close();
    }
}
