package io.sessionkit.faults;

/**
 * Something done to a store while clients use it: it marks on the timeline when the store
 * stops serving and when it is back, and leaves the store serving when it returns, even when it
 * fails.
 */
interface StoreFault {

    /** @return what is done, for the results table, such as {@code SIGKILL, 3 s down, restart} */
    String description();

    /**
     * Plays the fault and returns once the store is back.
     *
     * @param timeline where to mark the fault's start and the store's return
     * @throws Exception when the fault cannot be played
     */
    void play(FaultTimeline timeline) throws Exception;
}
