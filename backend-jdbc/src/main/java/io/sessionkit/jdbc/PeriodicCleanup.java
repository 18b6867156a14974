package io.sessionkit.jdbc;

import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link ExpiredSessionCleanup} on one daemon thread at a fixed delay, from
 * {@link #start()} until {@link #close()}. A failed run is logged and the next one still
 * happens: a database that is away for a while must not stop the clean-up for good.
 *
 * <p>Thread-safe.
 */
final class PeriodicCleanup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicCleanup.class);

    private final ExpiredSessionCleanup cleanup;
    private final Duration interval;
    private final String threadName;
    private ScheduledExecutorService executor;
    private volatile boolean closed;
    /** The executor's one thread, joined by {@link #close()}: a terminated executor's thread may still be exiting. */
    private volatile Thread worker;

    /**
     * Starts nothing yet; see {@link #start()}.
     *
     * @param cleanup    what to run
     * @param interval   the pause between the end of one run and the start of the next; also
     *                   the wait before the first
     * @param threadName the daemon thread's name
     */
    PeriodicCleanup(ExpiredSessionCleanup cleanup, Duration interval, String threadName) {
        this.cleanup = cleanup;
        this.interval = interval;
        this.threadName = threadName;
    }

    /**
     * Starts the thread; the first run is one interval from now. Does nothing when started
     * already or closed.
     */
    synchronized void start() {
        if (executor != null || closed) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            worker = thread;
            return thread;
        });
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            int deleted = cleanup.deleteExpired();
            LOG.debug("deleted {} expired sessions", deleted);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("clean-up of expired sessions failed; retrying at the next interval: {}", Redaction.message(e.getMessage()),
                        Redaction.throwable(e));
            }
        }
    }

    /**
     * Stops the thread, waiting briefly for a run in progress so that it does not outlive the
     * connection pool. Idempotent.
     */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            closed = true;
            running = executor;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            Thread thread = worker;
            if (!running.awaitTermination(10, TimeUnit.SECONDS) || thread != null && !join(thread)) {
                LOG.warn("the session clean-up thread {} did not stop within 10 seconds", threadName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean join(Thread thread) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
        return !thread.isAlive();
    }
}
