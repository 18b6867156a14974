package io.sessionkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expired sessions are counted where the backend's clean-up tells which it removed: the {@code jdbc}
 * backend on an in-process H2 database, its clean-up run through the timed capability.
 */
class ExpiredSessionsTest {

    @Test
    void sessionsTheCleanUpRemovedAreCountedAsExpired() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        SessionConfig config = SessionConfig.builder().clock(clock)
                .set("SESSION_TYPE", "jdbc")
                .set("SESSION_JDBC_URL", "jdbc:h2:mem:metrics-expired;DB_CLOSE_DELAY=-1")
                .set("SESSION_JDBC_TABLE", "sk_metrics_expired")
                .set("SESSION_JDBC_CLEANUP_INTERVAL", "off")
                .set("PERMANENT_SESSION_LIFETIME", "PT1M")
                .build();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (SessionInterface sessions = new SessionKitMetrics(registry).applyTo(SessionInterface.builder(config)).build()) {
            for (int i = 0; i < 3; i++) {
                Session session = sessions.open(null);
                session.put("n", i);
                sessions.save(session);
            }
            clock.advance(Duration.ofMinutes(2));
            assertEquals(3, sessions.capability(ExpiredSessionCleanup.class).orElseThrow().deleteExpired());

            assertEquals(3, registry.get(MeterNames.SESSIONS).tag(MeterNames.EVENT_TAG, "expired").counter().count());
            assertEquals(1, registry.get(MeterNames.BACKEND_OPERATION).tags(MeterNames.TYPE_TAG, "jdbc",
                    MeterNames.OPERATION_TAG, "deleteExpired", MeterNames.OUTCOME_TAG, "success").timer().count());
        }
    }
}
