package io.sessionkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionkit.spi.SessionBackend;

import java.time.Duration;
import java.util.Optional;

/**
 * The engine's backend with every call timed: the five operations here, and every method of every
 * capability it hands out through {@link TimedCapability}, so that a capability added to the SPI
 * later is timed without a change here. Thread-safe as the backend is.
 */
final class TimedSessionBackend implements SessionBackend {

    private final SessionBackend backend;
    private final MeterRegistry registry;
    private final String type;
    private final OperationTimer load;
    private final OperationTimer save;
    private final OperationTimer touch;
    private final OperationTimer delete;

    /**
     * @param type the backend's name, the {@code type} tag of its timers
     */
    TimedSessionBackend(SessionBackend backend, MeterRegistry registry, String type) {
        this.backend = backend;
        this.registry = registry;
        this.type = type;
        this.load = new OperationTimer(registry, type, "load");
        this.save = new OperationTimer(registry, type, "save");
        this.touch = new OperationTimer(registry, type, "touch");
        this.delete = new OperationTimer(registry, type, "delete");
    }

    @Override
    public byte[] load(String key) {
        long start = load.start();
        byte[] value;
        try {
            value = backend.load(key);
        } catch (RuntimeException | Error e) {
            load.record(Outcome.ERROR, start);
            throw e;
        }
        load.record(value == null ? Outcome.ABSENT : Outcome.SUCCESS, start);
        return value;
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        long start = save.start();
        try {
            backend.save(key, value, timeToLive);
        } catch (RuntimeException | Error e) {
            save.record(Outcome.ERROR, start);
            throw e;
        }
        save.record(Outcome.SUCCESS, start);
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        long start = touch.start();
        try {
            backend.touch(key, timeToLive);
        } catch (RuntimeException | Error e) {
            touch.record(Outcome.ERROR, start);
            throw e;
        }
        touch.record(Outcome.SUCCESS, start);
    }

    @Override
    public void delete(String key) {
        long start = delete.start();
        try {
            backend.delete(key);
        } catch (RuntimeException | Error e) {
            delete.record(Outcome.ERROR, start);
            throw e;
        }
        delete.record(Outcome.SUCCESS, start);
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return backend.capability(type).map(capability -> TimedCapability.wrap(type, capability, registry, this.type));
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "timed " + backend;
    }
}
