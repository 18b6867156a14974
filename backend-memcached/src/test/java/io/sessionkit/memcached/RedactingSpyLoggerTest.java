package io.sessionkit.memcached;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.*;

class RedactingSpyLoggerTest {

    private static final String ID = "Q7vYp2kLmNoPqRsTuVwXyZ8kLmNoPqRsTuVwXyZ0123a";

    @Test
    void spymemcachedsWarningsNameOnlyTheStartOfTheKey() {
        Logger sink = Logger.getLogger("redacting-spy-logger-test");
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        sink.addHandler(capture);
        sink.setUseParentHandlers(false);
        try {
            RedactingSpyLogger logger = new RedactingSpyLogger(sink.getName());
            logger.warn("Could not redistribute to another node, retrying primary node for %s.", "session:" + ID);
            logger.error("Discarding partially completed op", new IllegalStateException("Cmd: 0 Opaque: 2 Key: session:" + ID));
        } finally {
            sink.removeHandler(capture);
            sink.setUseParentHandlers(true);
        }
        assertEquals(2, logged.size());
        assertEquals("Could not redistribute to another node, retrying primary node for session:Q7vYp2….",
                logged.get(0).getMessage());
        assertEquals("java.lang.IllegalStateException: Cmd: 0 Opaque: 2 Key: session:Q7vYp2…",
                logged.get(1).getThrown().toString());
    }

    @Test
    void isChosenUnlessTheApplicationChoseALoggerItself() {
        String before = System.getProperty(RedactingSpyLogger.LOGGER_IMPL);
        try {
            System.clearProperty(RedactingSpyLogger.LOGGER_IMPL);
            RedactingSpyLogger.install();
            assertEquals(RedactingSpyLogger.class.getName(), System.getProperty(RedactingSpyLogger.LOGGER_IMPL));
            System.setProperty(RedactingSpyLogger.LOGGER_IMPL, "net.spy.memcached.compat.log.SunLogger");
            RedactingSpyLogger.install();
            assertEquals("net.spy.memcached.compat.log.SunLogger", System.getProperty(RedactingSpyLogger.LOGGER_IMPL));
        } finally {
            if (before == null) {
                System.clearProperty(RedactingSpyLogger.LOGGER_IMPL);
            } else {
                System.setProperty(RedactingSpyLogger.LOGGER_IMPL, before);
            }
        }
    }
}
