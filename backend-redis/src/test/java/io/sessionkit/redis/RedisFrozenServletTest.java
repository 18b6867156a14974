package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import io.sessionkit.servlet.testing.CounterApplication;
import io.sessionkit.testsupport.FrozenStoreRequests;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * End to end through embedded Jetty and {@link SessionKitFilter} on a private Redis that the
 * test freezes ({@code SIGSTOP}): its connections stay open, the kernel still accepts new ones,
 * and nothing answers, as with a hung machine or a network path that drops every packet.
 */
class RedisFrozenServletTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /**
     * A wait for a pooled connection and the command's timeout (a timed-out command is not sent
     * again), and slack for a busy machine.
     */
    private static final Duration ANSWERS_WITHIN = TIMEOUT.multipliedBy(3).plusSeconds(2);
    private static final Duration RECOVERS_WITHIN = TIMEOUT.multipliedBy(5).plusSeconds(5);
    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final Logger FILTER_LOG = Logger.getLogger(SessionKitFilter.class.getName());

    private RedisServerProcess redis;
    private CounterApplication application;

    @BeforeEach
    void start() throws Exception {
        // The failures are expected here: keep the filter's error log out of the build output.
        FILTER_LOG.setLevel(Level.OFF);
        redis = RedisServerProcess.start();
        application = CounterApplication.start(SessionConfig.builder()
                .set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", redis.url())
                .set("SESSION_REDIS_CONNECT_TIMEOUT", TIMEOUT)
                .set("SESSION_REDIS_TIMEOUT", TIMEOUT)
                .set("SESSION_REDIS_POOL_SIZE", 2)
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (application != null) {
                application.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
            FILTER_LOG.setLevel(null);
        }
    }

    @Test
    @DisplayName("a frozen Redis: concurrent requests with and without a session answer 503 within the bound;"
            + " after it resumes, the session stored before is served again without a restart")
    void frozenRedisAnswers503AndRecovers() throws Exception {
        FrozenStoreRequests.Figures figures = FrozenStoreRequests.freezeAndRecover(application, redis, ANSWERS_WITHIN,
                RECOVERS_WITHIN);
        System.out.printf("frozen Redis: SESSION_REDIS_TIMEOUT=%s, longest 503 %d ms, served again %d ms after SIGCONT%n",
                TIMEOUT, figures.longest503().toMillis(), figures.recovery().toMillis());
    }
}
