package io.sessionkit.cli;

import java.util.Map;
import java.util.UUID;

/**
 * The tool on the Redis at 127.0.0.1:6379 (override with {@code SESSION_TEST_REDIS_URL}), each
 * test under a key prefix of its own.
 */
class RedisCliTest extends SessionKitCliStoreTest {

    private final String prefix = "sessionkit-cli-test-" + UUID.randomUUID() + ":";

    @Override
    Map<String, String> storeSettings() {
        String url = System.getenv().getOrDefault("SESSION_TEST_REDIS_URL", "redis://127.0.0.1:6379");
        return Map.of("SESSION_TYPE", "redis", "SESSION_REDIS", url, "SESSION_KEY_PREFIX", prefix);
    }

    @Override
    boolean keepsExpiredEntries() {
        return false;
    }
}
