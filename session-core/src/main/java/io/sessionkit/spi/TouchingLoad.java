package io.sessionkit.spi;

import java.time.Duration;

/**
 * Optional capability of a {@link SessionBackend}: read an entry and extend its life in one
 * round trip (Redis {@code GETEX}, for example). When the backend has it and
 * {@code SESSION_REFRESH_EACH_REQUEST} is on, a request that only reads its session costs
 * one round trip instead of two.
 *
 * <p>Offer it only where the extension comes with the read in the same round trip. Without it
 * the engine reads without extending and extends the life at the end of a request that did not
 * save, so that a request that saves (which sets the expiry itself) pays for no extension; with
 * it, and {@link ConditionalWrites}, the engine reads through
 * {@link ConditionalWrites#loadVersionedAndTouch}.
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
