package io.sessionkit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it, so that expiry can be tested without
 * sleeping. Thread-safe.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /**
     * @param start the initial instant
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /**
     * @param amount how far to move time forward
     */
    public synchronized void advance(Duration amount) {
        now = now.plus(amount);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("MutableClock is always UTC");
    }
}
