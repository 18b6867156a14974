package io.sessionkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionkit.core.SessionEngineObserver;

/**
 * Counts what the engine meets in requests, and the size of what it serializes; registered at
 * once, so that each meter shows zero before its first event. Thread-safe.
 */
final class EngineMeters implements SessionEngineObserver {

    private final DistributionSummary size;
    private final Counter tooLarge;
    private final Counter decodeFailures;
    private final Counter conflicts;
    private final Counter conflictRetries;
    private final Counter lockTimeouts;
    private final Counter unavailable;
    private final Counter nearCacheHits;
    private final Counter nearCacheMisses;

    EngineMeters(MeterRegistry registry) {
        size = DistributionSummary.builder(MeterNames.SESSION_SIZE).baseUnit("bytes")
                .description("Size of each session serialized to be written").register(registry);
        tooLarge = counter(registry, MeterNames.TOO_LARGE, "Sessions not written because larger than SESSION_MAX_SIZE");
        decodeFailures = counter(registry, MeterNames.DECODE_FAILURES, "Stored sessions that could not be decoded");
        conflicts = counter(registry, MeterNames.CONFLICTS,
                "Conditional writes that found the session changed by another request");
        conflictRetries = counter(registry, MeterNames.CONFLICT_RETRIES,
                "Writes tried again after merging a request's changes onto the newer session");
        lockTimeouts = counter(registry, MeterNames.LOCK_TIMEOUTS, "Requests that waited SESSION_LOCK_TIMEOUT in vain");
        unavailable = counter(registry, MeterNames.UNAVAILABLE, "Requests answered 503 because of their session");
        nearCacheHits = nearCacheReads(registry, "hit");
        nearCacheMisses = nearCacheReads(registry, "miss");
    }

    private static Counter nearCacheReads(MeterRegistry registry, String result) {
        return Counter.builder(MeterNames.NEAR_CACHE_READS).tag(MeterNames.RESULT_TAG, result)
                .description("Session reads with SESSION_NEAR_CACHE on, answered from memory (hit) or from the store (miss)")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    @Override
    public void serialized(int bytes) {
        size.record(bytes);
    }

    @Override
    public void refusedTooLarge(int bytes) {
        tooLarge.increment();
    }

    @Override
    public void decodeFailed() {
        decodeFailures.increment();
    }

    @Override
    public void conflictDetected() {
        conflicts.increment();
    }

    @Override
    public void retriedAfterConflict() {
        conflictRetries.increment();
    }

    @Override
    public void lockTimedOut() {
        lockTimeouts.increment();
    }

    @Override
    public void answeredUnavailable() {
        unavailable.increment();
    }

    @Override
    public void nearCacheHit() {
        nearCacheHits.increment();
    }

    @Override
    public void nearCacheMiss() {
        nearCacheMisses.increment();
    }
}
