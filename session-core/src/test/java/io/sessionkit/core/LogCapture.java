package io.sessionkit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what one logger writes (the tests log through JUL) while it is open, and keeps it out
 * of the build log: the lines the tests provoke are expected.
 */
final class LogCapture implements AutoCloseable {

    // Held strongly: java.util.logging forgets a logger nobody references, and its handlers with it.
    private final Logger log;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(Class<?> loggerOf) {
        log = Logger.getLogger(loggerOf.getName());
        log.addHandler(handler);
        log.setUseParentHandlers(false);
    }

    /**
     * @param loggerOf the class whose logger to capture
     * @return a capture, open until {@link #close()}
     */
    static LogCapture of(Class<?> loggerOf) {
        return new LogCapture(loggerOf);
    }

    /**
     * @return every record logged since the capture opened
     */
    List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        log.removeHandler(handler);
        log.setUseParentHandlers(true);
    }

    /** The messages at WARN and above that the logger of {@code loggerOf} wrote while {@code action} ran. */
    static List<String> warnings(Class<?> loggerOf, Runnable action) {
        try (LogCapture capture = of(loggerOf)) {
            action.run();
            List<String> warnings = new ArrayList<>();
            for (LogRecord record : capture.records()) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }
            return warnings;
        }
    }
}
