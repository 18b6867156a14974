package io.sessionkit.micrometer;

/** The names and tag keys of SessionKit's meters, as docs/metrics.md lists them. */
final class MeterNames {

    static final String BACKEND_OPERATION = "sessionkit.backend.operation";
    /**
     * Sessions by {@link #EVENT_TAG}. One name with a tag rather than {@code sessionkit.sessions.created}
     * and its siblings: Prometheus's client drops a {@code _created} suffix, which it reserves.
     */
    static final String SESSIONS = "sessionkit.sessions";
    static final String DECODE_FAILURES = "sessionkit.session.decode.failures";
    static final String TOO_LARGE = "sessionkit.session.too.large";
    static final String SESSION_SIZE = "sessionkit.session.size";
    static final String CONFLICTS = "sessionkit.conflicts";
    static final String CONFLICT_RETRIES = "sessionkit.conflict.retries";
    static final String LOCK_TIMEOUTS = "sessionkit.lock.timeouts";
    static final String UNAVAILABLE = "sessionkit.requests.unavailable";
    static final String NEAR_CACHE_READS = "sessionkit.near.cache.reads";

    /** The backend's {@code SESSION_TYPE}, or its class name when it was handed in from code. */
    static final String TYPE_TAG = "type";
    /** The backend or capability method: {@code load}, {@code save}, {@code replace}, {@code tryLock}... */
    static final String OPERATION_TAG = "operation";
    /** What happened to the sessions counted: {@code created}, {@code regenerated}, {@code invalidated}, {@code expired}. */
    static final String EVENT_TAG = "event";
    /** Whether the near cache answered a read: {@code hit} or {@code miss}. */
    static final String RESULT_TAG = "result";
    /** {@link Outcome}'s tag value. */
    static final String OUTCOME_TAG = "outcome";

    private MeterNames() {
    }
}
