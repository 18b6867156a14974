package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/**
 * The backend contract on one private {@code redis-server}, configured by URL.
 */
class RedisStandaloneContractTest extends SessionBackendContract {

    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected String type() {
        return "redis";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set("SESSION_REDIS", server.url() + "/2");
        // So that the contract's expiry-notification section runs too.
        config.set("SESSION_REDIS_EXPIRY_EVENTS", true);
    }

    @Override
    protected boolean expiresByServerClock() {
        return true;
    }

    /** Not whole seconds, so this also pins that PX (milliseconds) is used when needed. */
    @Override
    protected Duration serverClockTimeToLive() {
        return Duration.ofMillis(300);
    }
}
