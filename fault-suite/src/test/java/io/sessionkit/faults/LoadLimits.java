package io.sessionkit.faults;

import java.time.Duration;

/**
 * What bounds one client's share of a scenario.
 *
 * @param thinkTime      the pause after each answer
 * @param maxRequests    the most requests the client sends, whatever the scenario's length
 * @param requestTimeout the longest wait for one answer; longer than any store timeout, so that a
 *                       client never sends its next request while the last one still runs
 */
record LoadLimits(Duration thinkTime, int maxRequests, Duration requestTimeout) {

    /** 20 ms between requests (at most ~50 requests a second per client), 4,000 requests, 30 s per answer. */
    static final LoadLimits DEFAULT = new LoadLimits(Duration.ofMillis(20), 4_000, Duration.ofSeconds(30));
}
