package io.sessionkit.servlet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs, once per filter, that {@code HttpSession.setMaxInactiveInterval} has no effect: the
 * store's time to live is {@code PERMANENT_SESSION_LIFETIME} for every session.
 */
final class MaxInactiveIntervalWarning {

    private static final Logger LOG = LoggerFactory.getLogger(SessionKitFilter.class);

    private final AtomicBoolean logged = new AtomicBoolean();

    void log(int requestedSeconds, long lifetimeSeconds) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("HttpSession.setMaxInactiveInterval(" + requestedSeconds + ") is ignored:"
                    + " every SessionKit session lives PERMANENT_SESSION_LIFETIME (" + lifetimeSeconds + " s)"
                    + " in its store. Set PERMANENT_SESSION_LIFETIME instead, or use Session.setPermanent(false)"
                    + " for a cookie that ends with the browser. This warning is logged once.");
        }
    }
}
