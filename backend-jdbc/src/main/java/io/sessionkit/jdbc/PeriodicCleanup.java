package io.sessionkit.jdbc;

import io.sessionkit.spi.ExpiredSessionCleanup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link ExpiredSessionCleanup} on one daemon thread at a fixed delay. A failed run is
 * logged and the next one still happens: a database that is away for a while must not stop the
 * clean-up for good.
 */
final class PeriodicCleanup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicCleanup.class);

    private final ScheduledExecutorService executor;

    PeriodicCleanup(ExpiredSessionCleanup cleanup, Duration interval, String threadName) {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> runOnce(cleanup), millis, millis, TimeUnit.MILLISECONDS);
    }

    private void runOnce(ExpiredSessionCleanup cleanup) {
        try {
            int deleted = cleanup.deleteExpired();
            LOG.debug("deleted {} expired sessions", deleted);
        } catch (RuntimeException e) {
            if (!executor.isShutdown()) {
                LOG.warn("clean-up of expired sessions failed; retrying at the next interval: {}", e.getMessage(), e);
            }
        }
    }

    /**
     * Stops the thread, waiting briefly for a run in progress so that it does not outlive the
     * connection pool.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the session clean-up thread did not stop within 10 seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
