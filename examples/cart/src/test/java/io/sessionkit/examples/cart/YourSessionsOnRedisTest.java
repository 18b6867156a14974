package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;

import java.util.UUID;

/** "Your sessions" on the Redis at 127.0.0.1:6379, under a key prefix of its own. */
class YourSessionsOnRedisTest extends YourSessionsTest {

    @Override
    SessionConfig config() {
        return SessionConfig.builder()
                .set("SESSION_TYPE", "redis")
                .set("SESSION_REDIS", System.getenv().getOrDefault("SESSION_TEST_REDIS_URL", "redis://127.0.0.1:6379"))
                .set("SESSION_KEY_PREFIX", "cart-demo-test-" + UUID.randomUUID() + ":")
                .set("PERMANENT_SESSION_LIFETIME", "120") // what the test leaves expires soon
                .build();
    }
}
