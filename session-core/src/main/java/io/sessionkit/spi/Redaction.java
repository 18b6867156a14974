package io.sessionkit.spi;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes text and exceptions safe to log: a session id, a signed cookie value or a store key
 * holding one is as good as the user's login to whoever reads the log, and clients' messages
 * quote keys (MongoDB's duplicate-key error, MariaDB's "Duplicate entry", PostgreSQL's
 * "Key (id)=(...)"). Each such id is cut to its first {@value #KEPT} characters and
 * {@code "…"}, enough to correlate log lines.
 *
 * <p>Two passes: the keys, ids and cookie values the caller knows are cut exactly; then every
 * other run of at least {@value #MIN_ID_LENGTH} base64url characters that mixes upper case,
 * lower case and digits or {@code -}/{@code _} (what a random id looks like, and what class
 * names and configuration keys do not) is cut too, for the ids the caller does not know.
 *
 * <p>The rule for every SessionKit module and backend: a WARN or ERROR line never carries a full
 * session id, a cookie value, a secret or session data; a client's exception message goes
 * through {@link #message} and a logged exception through {@link #throwable}. Stateless and
 * thread-safe.
 */
public final class Redaction {

    /** How many characters of an id are kept. */
    public static final int KEPT = 6;
    /** The shortest id: {@code SESSION_ID_LENGTH} is at least 16 bytes, 22 base64url characters. */
    public static final int MIN_ID_LENGTH = 22;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{" + MIN_ID_LENGTH + ",}");

    private Redaction() {
    }

    /**
     * @param text  a message, e.g. a client exception's; may be {@code null}
     * @param known keys, ids or cookie values the caller knows are in play; {@code null}s are skipped
     * @return the message with each known value and every other id-shaped run cut short
     */
    public static String message(String text, String... known) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : known) {
            if (value != null && value.length() > KEPT && result.contains(value)) {
                result = result.replace(value, shortened(value));
            }
        }
        Matcher tokens = TOKEN.matcher(result);
        StringBuilder out = null;
        int copied = 0;
        while (tokens.find()) {
            if (!looksRandom(tokens.group())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(result.length());
            }
            out.append(result, copied, tokens.start()).append(result, tokens.start(), tokens.start() + KEPT).append('…');
            copied = tokens.end();
        }
        return out == null ? result : out.append(result, copied, result.length()).toString();
    }

    /**
     * @param value a key, id or cookie value
     * @return it with every run of {@value #MIN_ID_LENGTH} or more base64url characters cut to
     *         its first {@value #KEPT}: {@code session:AbCdEf…} for {@code session:} and a 43-character id
     */
    public static String shortened(String value) {
        Matcher tokens = TOKEN.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        int copied = 0;
        while (tokens.find()) {
            out.append(value, copied, tokens.start() + KEPT).append('…');
            copied = tokens.end();
        }
        if (copied == 0 && value.length() >= MIN_ID_LENGTH) {
            // No run of id length, yet long enough to be a credential (e.g. base64 with + and /).
            return value.substring(0, KEPT) + '…';
        }
        return out.append(value, copied, value.length()).toString();
    }

    /**
     * A copy of an exception to hand to a logger: the same classes' names, stack traces, causes
     * and suppressed exceptions, each message passed through {@link #message}. The copy is for
     * logging only; its classes are {@code Redacted}, not the originals.
     *
     * @param thrown the exception, may be {@code null}
     * @param known  keys, ids or cookie values the caller knows are in play
     * @return the copy, or {@code null} for {@code null}
     */
    public static Throwable throwable(Throwable thrown, String... known) {
        return copy(thrown, known, new IdentityHashMap<>());
    }

    private static Throwable copy(Throwable thrown, String[] known, Map<Throwable, Redacted> copies) {
        if (thrown == null) {
            return null;
        }
        Redacted existing = copies.get(thrown);
        if (existing != null) {
            return existing; // a cause cycle
        }
        Redacted copy = new Redacted(thrown.getClass().getName(), message(thrown.getMessage(), known));
        copies.put(thrown, copy);
        copy.setStackTrace(thrown.getStackTrace());
        Throwable cause = thrown.getCause();
        if (cause != null && cause != thrown) {
            copy.initCause(copy(cause, known, copies));
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            copy.addSuppressed(copy(suppressed, known, copies));
        }
        return copy;
    }

    private static boolean looksRandom(String token) {
        boolean upper = false;
        boolean lower = false;
        boolean other = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= 'a' && c <= 'z') {
                lower = true;
            } else {
                other = true;
            }
        }
        return upper && lower && other;
    }

    /** An exception as logged: the original's class name and redacted message, its stack trace. */
    static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String className;

        Redacted(String className, String message) {
            super(message);
            this.className = className;
        }

        @Override
        public String toString() {
            String message = getLocalizedMessage();
            return message != null ? className + ": " + message : className;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // the original's trace is set instead
        }
    }
}
