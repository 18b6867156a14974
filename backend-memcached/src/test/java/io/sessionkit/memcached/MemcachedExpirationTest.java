package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How times to live become memcached expirations. */
class MemcachedExpirationTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    @DisplayName("up to 30 days is sent as relative seconds, one more than asked for memcached's 1-second tick")
    void shortTimeToLiveIsRelative() {
        assertEquals(3601, MemcachedExpiration.of(Duration.ofHours(1), NOW));
        assertEquals(Duration.ofDays(30).toSeconds(), MemcachedExpiration.of(Duration.ofDays(30).minusSeconds(1), NOW));
    }

    @Test
    @DisplayName("a sub-second time to live is rounded up, never to 0 which memcached reads as 'never expire'")
    void subSecondIsRoundedUp() {
        assertEquals(2, MemcachedExpiration.of(Duration.ofMillis(1), NOW));
        assertEquals(3, MemcachedExpiration.of(Duration.ofMillis(1001), NOW));
    }

    @Test
    @DisplayName("regression: the default 31-day lifetime is sent as an absolute Unix time, not as seconds that mean 1970")
    void thirtyOneDaysIsAbsolute() {
        assertEquals(NOW.plus(SessionConfig.DEFAULT_LIFETIME).getEpochSecond(),
                MemcachedExpiration.of(SessionConfig.DEFAULT_LIFETIME, NOW));
        assertEquals(NOW.plus(Duration.ofDays(30)).getEpochSecond(), MemcachedExpiration.of(Duration.ofDays(30), NOW));
    }

    @Test
    @DisplayName("an expiry past memcached's 32-bit time is capped instead of wrapping into the past")
    void farFutureIsCapped() {
        assertEquals(Integer.MAX_VALUE, MemcachedExpiration.of(Duration.ofDays(365L * 100), NOW));
    }
}
