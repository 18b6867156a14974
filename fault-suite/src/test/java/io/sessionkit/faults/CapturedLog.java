package io.sessionkit.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes the log of SessionKit and of the stores' clients during a scenario: thousands of expected
 * {@code 503} lines would drown the build output, and the scenario checks what they say. Undone
 * by {@link #close()}.
 */
final class CapturedLog implements AutoCloseable {

    private static final List<String> LOGGERS = List.of("io.sessionkit", "com.zaxxer.hikari", "org.postgresql",
            "redis.clients", "org.eclipse.jetty");
    private static final int KEPT_LINES = 200;

    // Held strongly: java.util.logging forgets the settings of a logger nobody references.
    private final List<Logger> loggers = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong warnings = new AtomicLong();
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.incrementAndGet();
            } else if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.incrementAndGet();
            }
            if (lines.size() < KEPT_LINES) {
                lines.add(line(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog() {
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            logger.addHandler(handler);
            logger.setUseParentHandlers(false);
            loggers.add(logger);
        }
    }

    /** @return the log captured from now until {@link #close()} */
    static CapturedLog start() {
        return new CapturedLog();
    }

    /** @return records at {@code SEVERE} (SLF4J's error) */
    long errors() {
        return errors.get();
    }

    /** @return records at {@code WARNING} */
    long warnings() {
        return warnings.get();
    }

    /**
     * @param text what to look for
     * @return the first kept line, message and causes, that contains it, or {@code null}
     */
    String firstLineContaining(String text) {
        synchronized (lines) {
            return lines.stream().filter(line -> line.contains(text)).findFirst().orElse(null);
        }
    }

    private static String line(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
        for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
            line.append(" | caused by ").append(cause);
        }
        return line.toString();
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
        }
    }
}
