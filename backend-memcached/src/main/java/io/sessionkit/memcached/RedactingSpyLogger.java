package io.sessionkit.memcached;

import io.sessionkit.spi.Redaction;
import net.spy.memcached.compat.log.Level;
import net.spy.memcached.compat.log.SLF4JLogger;

/**
 * spymemcached's log, through SLF4J, with session ids cut to their start: the client names the
 * key of the operation at hand in its warnings ("Could not redistribute to another node,
 * retrying primary node for session:...", "Discarding partially completed op: ... Key: ..."),
 * and a key holds the session id. Chosen through {@code net.spy.log.LoggerImpl} (see
 * {@link #install()}); public with a {@code String} constructor for spymemcached's factory.
 */
public final class RedactingSpyLogger extends SLF4JLogger {

    /** The system property through which spymemcached chooses its logger. */
    static final String LOGGER_IMPL = "net.spy.log.LoggerImpl";

    /**
     * @param name the logger's name
     */
    public RedactingSpyLogger(String name) {
        super(name);
    }

    @Override
    public void log(Level level, Object message, Throwable thrown) {
        super.log(level, message == null ? null : Redaction.message(message.toString()), Redaction.throwable(thrown));
    }

    /**
     * Makes spymemcached log through this class, unless the application chose its logger itself.
     * Takes effect for a JVM whose spymemcached has not logged yet (it reads the property once).
     */
    static void install() {
        if (System.getProperty(LOGGER_IMPL) == null) {
            System.setProperty(LOGGER_IMPL, RedactingSpyLogger.class.getName());
        }
    }
}
