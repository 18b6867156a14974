package io.sessionkit.micrometer;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The timers of one backend operation, one per {@link Outcome}, each registered when first needed so
 * that an outcome an operation never has adds no time series. Thread-safe.
 */
final class OperationTimer {

    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    private final Clock clock;
    private final Tags tags;
    private final AtomicReferenceArray<Timer> byOutcome = new AtomicReferenceArray<>(OUTCOMES.length);

    OperationTimer(MeterRegistry registry, String backendType, String operation) {
        this.registry = registry;
        this.clock = registry.config().clock();
        this.tags = Tags.of(MeterNames.TYPE_TAG, backendType, MeterNames.OPERATION_TAG, operation);
    }

    /** @return the start of a call, on the registry's monotonic clock */
    long start() {
        return clock.monotonicTime();
    }

    /**
     * @param outcome how the call ended
     * @param start   what {@link #start()} returned before it
     */
    void record(Outcome outcome, long start) {
        timer(outcome).record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Outcome outcome) {
        Timer timer = byOutcome.get(outcome.ordinal());
        if (timer == null) {
            // A race registers twice; the registry hands both the same timer.
            timer = Timer.builder(MeterNames.BACKEND_OPERATION)
                    .description("Calls SessionKit made to its backend, by operation and outcome")
                    .tags(tags).tag(MeterNames.OUTCOME_TAG, outcome.tag())
                    .register(registry);
            byOutcome.set(outcome.ordinal(), timer);
        }
        return timer;
    }
}
