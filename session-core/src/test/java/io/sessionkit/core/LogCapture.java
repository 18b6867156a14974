package io.sessionkit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what one logger writes at WARN and above while an action runs (the tests log through JUL). */
final class LogCapture {

    private LogCapture() {
    }

    static List<String> warnings(Class<?> loggerOf, Runnable action) {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (logged) {
                        logged.add(record.getMessage());
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(loggerOf.getName());
        log.addHandler(capture);
        log.setUseParentHandlers(false);
        try {
            action.run();
        } finally {
            log.removeHandler(capture);
            log.setUseParentHandlers(true);
        }
        return List.copyOf(logged);
    }
}
