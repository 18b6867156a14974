package io.sessionkit.spi;

import java.time.Duration;

/**
 * Optional capability of a {@link SessionBackend}: read an entry and extend its life in one
 * round trip (Redis {@code GETEX}, for example). When the backend has it and
 * {@code SESSION_REFRESH_EACH_REQUEST} is on, a request that only reads its session costs
 * one round trip instead of two.
 */
public interface TouchingLoad {

    /**
     * Reads an entry and, when present, sets its time to live to {@code timeToLive} from now.
     *
     * @param key        the entry's key
     * @param timeToLive the new time to live; positive
     * @return the entry's bytes, or {@code null} when absent or expired
     */
    byte[] loadAndTouch(String key, Duration timeToLive);
}
