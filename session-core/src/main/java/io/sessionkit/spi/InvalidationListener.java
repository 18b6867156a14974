package io.sessionkit.spi;

/**
 * Hears an {@link InvalidationFeed}: which entries changed, and whether the feed can be trusted.
 * Called on the feed's thread, one call at a time, in the order the store made the changes.
 */
public interface InvalidationListener {

    /**
     * An entry changed or is gone.
     *
     * @param key the entry's key
     */
    void invalidated(String key);

    /**
     * Every entry may have changed (the store was flushed).
     */
    void invalidatedAll();

    /**
     * The feed tells every change from now on: copies read after this call can be trusted
     * until the feed tells their change.
     */
    void live();

    /**
     * Changes may have gone untold (the feed's connection broke, or it stopped): no copy can be
     * trusted until the next {@link #live()}.
     */
    void lost();
}
