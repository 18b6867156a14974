package io.sessionkit.micrometer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Prometheus scrapes (the text of {@code /actuator/prometheus}) for SessionKit's meters, with
 * the names docs/metrics.md shows: dots become underscores, timers are in seconds, counters end in
 * {@code _total}.
 */
class PrometheusScrapeTest {

    @TempDir
    Path directory;

    @Test
    void theScrapeShowsTheDocumentedSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "filesystem")
                .set("SESSION_FILE_DIR", directory.toString()).build();
        String scrape;
        try (SessionInterface sessions = new SessionKitMetrics(registry).applyTo(SessionInterface.builder(config)).build()) {
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session);
            Session read = sessions.open(session.id());
            read.get("user");
            sessions.save(read);
            scrape = registry.scrape();
        }
        for (String series : new String[] {
                "sessionkit_backend_operation_seconds_count{operation=\"create\",outcome=\"success\",type=\"filesystem\"} 1",
                "sessionkit_backend_operation_seconds_count{operation=\"loadVersioned\",outcome=\"success\",type=\"filesystem\"} 1",
                "sessionkit_backend_operation_seconds_count{operation=\"touch\",outcome=\"success\",type=\"filesystem\"} 1",
                "sessionkit_backend_operation_seconds_sum{operation=\"create\",outcome=\"success\",type=\"filesystem\"}",
                "sessionkit_backend_operation_seconds_max{operation=\"create\",outcome=\"success\",type=\"filesystem\"}",
                "sessionkit_sessions_total{event=\"created\"} 1.0",
                "sessionkit_sessions_total{event=\"regenerated\"} 0.0",
                "sessionkit_sessions_total{event=\"invalidated\"} 0.0",
                "sessionkit_sessions_total{event=\"expired\"} 0.0",
                "sessionkit_sessions_total{event=\"revoked\"} 0.0",
                "sessionkit_session_decode_failures_total 0.0",
                "sessionkit_session_too_large_total 0.0",
                "sessionkit_conflicts_total 0.0",
                "sessionkit_conflict_retries_total 0.0",
                "sessionkit_lock_timeouts_total 0.0",
                "sessionkit_requests_unavailable_total 0.0",
                "sessionkit_near_cache_reads_total{result=\"hit\"} 0.0",
                "sessionkit_near_cache_reads_total{result=\"miss\"} 0.0",
                "sessionkit_session_size_bytes_count 1",
                "sessionkit_session_size_bytes_sum ",
                "sessionkit_session_size_bytes_max "}) {
            assertTrue(scrape.contains(series), series + " is not in:\n" + scrape);
        }
    }
}
