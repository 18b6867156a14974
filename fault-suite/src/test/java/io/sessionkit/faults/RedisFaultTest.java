package io.sessionkit.faults;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Redis killed and frozen under load. The private server persists with {@code appendonly yes}
 * and {@code appendfsync always}: Redis then fsyncs a write to its append-only file before it
 * replies, so a write the application acknowledged is on disk and must survive a {@code SIGKILL}.
 * With the default {@code everysec}, Redis's own {@code redis.conf} allows losing "a single write
 * if something wrong with the Redis process itself happens" (and a second of writes on a power
 * outage), which the suite's zero-loss assertion could not hold against. The store's own
 * settings are the defaults (2 s timeouts, 16 connections).
 */
@Tag("fault")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RedisFaultTest {

    private static final String STORE = "redis, appendfsync always";

    private RedisServerProcess redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder().set("SESSION_TYPE", "redis").set("SESSION_REDIS", redis.url());
    }

    @Test
    @DisplayName("Redis killed with SIGKILL and restarted under load: no acknowledged write lost, service back")
    void killAndRestart() throws Exception {
        ScenarioResult result = new FaultScenario(STORE, config()).run(new ProcessKill(redis, Duration.ofSeconds(6)));
        FaultReport.record(result);
        result.assertNothingLost();
    }

    @Test
    @DisplayName("Redis frozen with SIGSTOP for 10 s under load: 503s while frozen, nothing lost, service back")
    void freeze() throws Exception {
        ScenarioResult result = new FaultScenario(STORE, config()).run(new ProcessFreeze(redis, Duration.ofSeconds(10)));
        FaultReport.record(result);
        result.assertNothingLost();
    }
}
