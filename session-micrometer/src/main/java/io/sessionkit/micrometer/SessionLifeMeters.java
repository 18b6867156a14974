package io.sessionkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionkit.Session;
import io.sessionkit.SessionListener;

/**
 * Counts sessions created, given a new id, ended by the application, revoked, and removed as
 * expired by a backend that tells. Ids are heard and dropped: no meter ever carries one. Thread-safe.
 */
final class SessionLifeMeters implements SessionListener {

    private final Counter created;
    private final Counter regenerated;
    private final Counter invalidated;
    private final Counter expired;
    private final Counter revoked;

    SessionLifeMeters(MeterRegistry registry) {
        created = counter(registry, "created");
        regenerated = counter(registry, "regenerated");
        invalidated = counter(registry, "invalidated");
        expired = counter(registry, "expired");
        revoked = counter(registry, "revoked");
    }

    private static Counter counter(MeterRegistry registry, String event) {
        return Counter.builder(MeterNames.SESSIONS).tag(MeterNames.EVENT_TAG, event)
                .description("Sessions created (stored for the first time), regenerated (stored under a new id),"
                        + " invalidated by the application, revoked (revoke, revokeAll), or expired and removed by a"
                        + " backend that tells")
                .register(registry);
    }

    @Override
    public void created(Session session) {
        created.increment();
    }

    @Override
    public void idChanged(Session session, String previousId) {
        regenerated.increment();
    }

    @Override
    public void invalidated(String id) {
        invalidated.increment();
    }

    @Override
    public void expired(String id) {
        expired.increment();
    }

    @Override
    public void revoked(String id) {
        revoked.increment();
    }
}
