package io.sessionkit.servlet;

import io.sessionkit.testsupport.LogLeakWatch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what {@link SessionKitFilter} logs (through SLF4J to {@code java.util.logging} in these
 * tests) and keeps it out of the build log, since the failures a test provokes are expected;
 * {@link LogLeakWatch} still sees every line.
 */
final class FilterLog extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger(SessionKitFilter.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    FilterLog() {
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    /** Whether an entry of this level whose message contains {@code text} was logged. */
    boolean contains(Level level, String text) {
        return records.stream().anyMatch(r -> r.getLevel() == level && r.getMessage().contains(text));
    }

    List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
        LogLeakWatch.inspect(record); // kept out of the build output, still watched
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(true);
    }
}
