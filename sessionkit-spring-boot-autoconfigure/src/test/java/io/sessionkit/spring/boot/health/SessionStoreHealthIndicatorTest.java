package io.sessionkit.spring.boot.health;

import io.sessionkit.SessionBackendException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the health endpoint may show of a store's failure. */
class SessionStoreHealthIndicatorTest {

    @Test
    @DisplayName("the reason keeps the backend and the failure, masks URL credentials and cuts the probe's id")
    void redactedReason() {
        String id = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";
        SessionBackendException failure = new SessionBackendException("redis", "load",
                "cannot reach redis://app:hunter2@cache:6379/0 for session:" + id, null);

        assertEquals("io.sessionkit.SessionBackendException: session backend 'redis' failed to load: cannot reach"
                + " redis://***@cache:6379/0 for session:Zm9vYm…", SessionStoreHealthIndicator.redacted(failure, id));
    }
}
