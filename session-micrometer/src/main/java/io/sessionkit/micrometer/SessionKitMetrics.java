package io.sessionkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionkit.core.SessionInterface;

import java.util.Objects;

/**
 * SessionKit's meters in a Micrometer registry: a timer of every call to the backend, by operation
 * and outcome; counters of sessions created, regenerated, invalidated and expired, of stored
 * sessions that could not be decoded, of sessions refused as too large, of conflicts and their
 * retries, of lock time-outs and of requests answered 503; and the size of each serialized
 * session. docs/metrics.md lists every meter.
 * <pre>{@code
 * SessionKitMetrics metrics = new SessionKitMetrics(registry);
 * SessionInterface sessions = metrics.applyTo(SessionInterface.builder(config)).build();
 * }</pre>
 * No tag carries a session id, a key or an attribute: the tags are the backend's type, the
 * operation and the outcome, whose values are few and fixed.
 *
 * <p>The counters and the size summary are registered by the constructor, so they show zero
 * before their first event; the timers are registered as each operation and outcome first
 * happens. One instance may serve several engines: their timers differ by the backend's type, their
 * counters add up. Thread-safe.
 */
public final class SessionKitMetrics {

    private final MeterRegistry registry;
    private final EngineMeters engineMeters;
    private final SessionLifeMeters lifeMeters;

    /**
     * Registers the counters and the size summary in {@code registry}.
     *
     * @param registry where the meters go
     */
    public SessionKitMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.engineMeters = new EngineMeters(registry);
        this.lifeMeters = new SessionLifeMeters(registry);
    }

    /**
     * Has the engine that {@code builder} builds report to these meters: times its backend (through
     * {@link SessionInterface.Builder#decorateBackend}), observes it
     * ({@link SessionInterface.Builder#observer}, which replaces an observer given before) and
     * listens to its sessions ({@link SessionInterface.Builder#listener}). A listener makes a backend
     * that can tell which sessions expired start telling ({@code jdbc}'s clean-up then reads the ids
     * it deletes; Redis with {@code SESSION_REDIS_EXPIRY_EVENTS}).
     *
     * @param builder the engine's builder
     * @return {@code builder}
     */
    public SessionInterface.Builder applyTo(SessionInterface.Builder builder) {
        return builder.decorateBackend((backend, type) -> new TimedSessionBackend(backend, registry, type))
                .observer(engineMeters)
                .listener(lifeMeters);
    }
}
