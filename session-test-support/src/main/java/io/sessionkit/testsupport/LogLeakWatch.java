package io.sessionkit.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches every WARN and ERROR line a test run logs for what must never be in one: a full
 * session id or cookie value, a secret, or session data. The tests log through SLF4J to
 * {@code java.util.logging} (slf4j-jdk14), and so do the stores' clients that use SLF4J; this
 * watches the root {@code java.util.logging} logger.
 *
 * <p>A line leaks when it holds:
 * <ul>
 *   <li>a run of {@value #ID_SHAPE_LENGTH} or more base64url characters mixing upper case, lower
 *       case and a digit, {@code -} or {@code _}: the shape of a session id (43 characters for
 *       the default 32 bytes, 22 at the least), which class names and configuration keys lack;</li>
 *   <li>a value a test registered with {@link #watch}: a {@code SECRET_KEY}, an id that happens
 *       not to have that shape;</li>
 *   <li>{@link #DATA_MARKER}, which failure tests put into the sessions they save.</li>
 * </ul>
 * {@link LogLeakExtension} installs it for every JUnit Jupiter test of a module that has this
 * module on its test class path, and fails the test during which a leaking line was logged.
 * Thread-safe.
 */
public final class LogLeakWatch {

    /** Session data that must never reach a log line: failure tests store it in their sessions. */
    public static final String DATA_MARKER = "sessionkit-private-session-data";
    /** The shortest run of base64url characters taken for an id: 16 random bytes. */
    public static final int ID_SHAPE_LENGTH = 22;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{" + ID_SHAPE_LENGTH + ",}");
    private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
    private static final List<String> LEAKS = new ArrayList<>();
    private static final Formatter FORMATTER = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };
    private static final Handler HANDLER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            inspect(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    // Held strongly: java.util.logging forgets the configuration of a logger nobody references.
    private static final Logger ROOT = Logger.getLogger("");
    private static boolean installed;

    static {
        watch(DATA_MARKER);
    }

    private LogLeakWatch() {
    }

    /** Starts watching the root logger; idempotent. */
    public static synchronized void install() {
        if (!installed) {
            HANDLER.setLevel(Level.WARNING);
            ROOT.addHandler(HANDLER);
            installed = true;
        }
    }

    /**
     * @param values secrets, ids or data that must never appear in a WARN or ERROR line; values
     *               shorter than 8 characters are ignored, as they would match by chance
     */
    public static void watch(String... values) {
        for (String value : values) {
            if (value != null && value.length() >= 8) {
                WATCHED.add(value);
            }
        }
    }

    /**
     * Checks one record; for a handler that keeps a logger's expected warnings out of the build
     * output (and so away from the root logger) to pass them on. Records below WARNING are ignored.
     *
     * @param record the record
     */
    public static void inspect(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        String line = record.getLevel() + " " + record.getLoggerName() + ": " + FORMATTER.formatMessage(record)
                + thrownText(record.getThrown());
        leakIn(line).ifPresent(what -> {
            synchronized (LEAKS) {
                LEAKS.add(what + " in: " + line);
            }
        });
    }

    /**
     * The check itself.
     *
     * @param line a log line with its exception's messages
     * @return what leaked, if anything
     */
    public static Optional<String> leakIn(String line) {
        for (String value : WATCHED) {
            if (line.contains(value)) {
                return Optional.of(value.equals(DATA_MARKER) ? "session data" : "a watched secret or id");
            }
        }
        Matcher tokens = TOKEN.matcher(line);
        while (tokens.find()) {
            if (idShaped(tokens.group())) {
                return Optional.of("an id-shaped token '" + tokens.group() + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * @return the leaks seen since the last call, and forgets them
     */
    public static List<String> drainLeaks() {
        synchronized (LEAKS) {
            List<String> leaks = List.copyOf(LEAKS);
            LEAKS.clear();
            return leaks;
        }
    }

    /**
     * Keeps a logger's lines out of the build output, for a test whose failures are expected,
     * while they are still watched.
     *
     * @param source the class whose logger is quietened
     * @return what undoes it
     */
    public static AutoCloseable quiet(Class<?> source) {
        Logger logger = Logger.getLogger(source.getName());
        logger.addHandler(HANDLER);
        logger.setUseParentHandlers(false);
        return () -> {
            logger.removeHandler(HANDLER);
            logger.setUseParentHandlers(true);
        };
    }

    private static boolean idShaped(String token) {
        boolean upper = false;
        boolean lower = false;
        boolean other = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            other |= (c >= '0' && c <= '9') || c == '-' || c == '_';
        }
        return upper && lower && other;
    }

    private static String thrownText(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        appendThrown(thrown, text, 0);
        return text.toString();
    }

    private static void appendThrown(Throwable thrown, StringBuilder text, int depth) {
        if (thrown == null || depth > 20) {
            return;
        }
        text.append(" | ").append(thrown);
        for (Throwable suppressed : thrown.getSuppressed()) {
            appendThrown(suppressed, text, depth + 1);
        }
        if (thrown.getCause() != thrown) {
            appendThrown(thrown.getCause(), text, depth + 1);
        }
    }
}
