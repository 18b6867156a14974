package io.sessionkit.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A progress bar on stderr for work whose size is not known beforehand (a store's clean-up
 * reports only its total at the end): a bar that sweeps while the work runs, with the time
 * spent, redrawn in place, then a final full bar. Stdout stays clean for scripts.
 */
final class Progress {

    private static final int WIDTH = 24;
    private static final Duration FRAME = Duration.ofMillis(200);

    private final PrintWriter err;
    private final String label;

    Progress(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    /**
     * Runs the work on a thread of its own and draws the bar until it ends.
     *
     * @return what the work returned
     * @throws RuntimeException what the work threw
     */
    <T> T run(Callable<T> work) {
        ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sessionkit-purge");
            thread.setDaemon(true);
            return thread;
        });
        long started = System.nanoTime();
        try {
            Future<T> result = worker.submit(work);
            for (int frame = 0; ; frame++) {
                draw(frame, started, false);
                try {
                    T value = result.get(FRAME.toMillis(), TimeUnit.MILLISECONDS);
                    draw(frame, started, true);
                    return value;
                } catch (TimeoutException stillRunning) {
                    // next frame
                }
            }
        } catch (ExecutionException e) {
            err.println();
            err.flush();
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.STORE, label + ": interrupted");
        } finally {
            worker.shutdownNow();
        }
    }

    private void draw(int frame, long started, boolean done) {
        StringBuilder bar = new StringBuilder(WIDTH);
        int position = frame % WIDTH;
        for (int i = 0; i < WIDTH; i++) {
            bar.append(done ? '#' : Math.abs(i - position) <= 2 ? '#' : '.');
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        err.print("\r" + label + " [" + bar + "] " + seconds + "s" + (done ? " done" + System.lineSeparator() : ""));
        err.flush();
    }
}
