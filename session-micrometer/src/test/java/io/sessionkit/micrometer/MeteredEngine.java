package io.sessionkit.micrometer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.Session;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.SessionBackend;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real engine on the filesystem backend in a test's directory, with SessionKit's meters in a
 * {@link SimpleMeterRegistry}; and ways to read those meters.
 */
final class MeteredEngine implements AutoCloseable {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final SessionConfig config;
    final SessionInterface sessions;

    MeteredEngine(Path directory, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("SESSION_TYPE", "filesystem");
        all.put("SESSION_FILE_DIR", directory.toString());
        config = SessionConfig.builder().fromMap(all).build();
        sessions = new SessionKitMetrics(registry).applyTo(SessionInterface.builder(config)).build();
    }

    /** Another backend on the same store, to write what no engine would. */
    SessionBackend rawBackend() {
        return BackendRegistry.load().create(config);
    }

    /** One request that stores these attributes in a new session. */
    String stored(Map<String, Object> attributes) {
        Session session = sessions.open(null);
        session.putAll(attributes);
        sessions.save(session);
        return session.id();
    }

    double counter(String name) {
        return registry.get(name).counter().count();
    }

    /** @return sessions counted for this event: created, regenerated, invalidated or expired */
    double sessions(String event) {
        return registry.get(MeterNames.SESSIONS).tag(MeterNames.EVENT_TAG, event).counter().count();
    }

    DistributionSummary summary(String name) {
        return registry.get(name).summary();
    }

    /** @return calls timed for this operation and outcome; 0 when the timer was never registered */
    long timed(String operation, String outcome) {
        Timer timer = registry.find(MeterNames.BACKEND_OPERATION).tags(MeterNames.OPERATION_TAG, operation,
                MeterNames.OUTCOME_TAG, outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Override
    public void close() {
        sessions.close();
    }
}
