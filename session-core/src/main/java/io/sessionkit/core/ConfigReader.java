package io.sessionkit.core;

import io.sessionkit.SessionConfigException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed reads of configuration values that collect every problem instead of stopping at the
 * first, in the manner of Micrometer's {@code Validated}: each read returns the default when
 * the value is bad and records a sentence naming the key, the value and what is allowed;
 * {@link #validate()} then throws one {@link SessionConfigException} listing them all.
 *
 * <p>A backend provider reads its own keys with one reader and calls {@code validate()} before
 * connecting:
 * <pre>{@code
 * ConfigReader reader = config.reader();
 * List<String> nodes = reader.list("SESSION_MEMCACHED", List.of("127.0.0.1:11211"));
 * Duration timeout = reader.duration("SESSION_MEMCACHED_TIMEOUT", Duration.ofMillis(2500));
 * reader.validate();
 * }</pre>
 * Values of keys whose name holds {@code SECRET} or {@code PASSWORD} are never printed, and
 * passwords inside URLs are masked ({@link #mask(String)}).
 *
 * <p>Every key a reader is asked for is recorded in its {@link SessionConfig}, so that keys
 * nothing reads (a misspelled {@code SESSION_REDIS_TIMOUT}) can be reported at start-up: a
 * backend reads each of its keys whatever its other keys say, and reports a key that does not
 * apply as a problem rather than ignoring it. Not thread-safe: one reader per validation pass.
 */
public final class ConfigReader {

    /** {@code password=...} in a URL's query or a JDBC URL's properties. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Set<String> OFF = Set.of("0", "off", "false", "no", "none");

    private final SessionConfig config;
    private final Map<String, Object> values;
    private final List<String> problems = new ArrayList<>();

    ConfigReader(SessionConfig config, Map<String, Object> values) {
        this.config = config;
        this.values = values;
    }

    private Object lookup(String key) {
        config.recordRead(key);
        return values.get(key);
    }

    /**
     * Reads a value exactly as it was given, for values in which every character counts, such as
     * secret keys: a string is not trimmed, and an object handed in from code is not converted.
     *
     * @param key the key
     * @return the value, empty when unset
     */
    public Optional<Object> exactValue(String key) {
        return Optional.ofNullable(lookup(key));
    }

    /**
     * @param key the key
     * @return the value as a string, empty when unset
     */
    public Optional<String> optionalString(String key) {
        Object value = lookup(key);
        return value == null ? Optional.empty() : Optional.of(value.toString().trim());
    }

    /**
     * @param key          the key
     * @param defaultValue returned when unset
     * @return the value as a string
     */
    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    /**
     * Reads a value that must be set.
     *
     * @param key  the key
     * @param when the circumstance that requires it, e.g. {@code "when SESSION_USE_SIGNER is true"}
     * @return the value, or {@code null} after recording the problem
     */
    public String required(String key, String when) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty()) {
            problem(key + " is not set but it is required " + when);
            return null;
        }
        return value.get();
    }

    /**
     * Reads a boolean: {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0},
     * in any case.
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid
     * @return the value
     */
    public boolean bool(String key, boolean defaultValue) {
        Object value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                invalid(key, value, "true or false");
                return defaultValue;
        }
    }

    /**
     * Reads a whole number within bounds.
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid
     * @param min          smallest allowed value
     * @param max          largest allowed value
     * @return the value
     */
    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    /**
     * Reads a whole number within bounds.
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid
     * @param min          smallest allowed value
     * @param max          largest allowed value
     * @return the value
     */
    public long longValue(String key, long defaultValue, long min, long max) {
        Object value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            invalid(key, value, range(min, max));
            return defaultValue;
        }
        if (parsed < min || parsed > max) {
            invalid(key, value, range(min, max));
            return defaultValue;
        }
        return parsed;
    }

    /**
     * Reads a positive duration: whole seconds ({@code 3600}) or ISO-8601 ({@code PT30M},
     * {@code P31D}).
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid
     * @return the value
     */
    public Duration duration(String key, Duration defaultValue) {
        return duration(key, defaultValue, Duration.ofNanos(1), null);
    }

    /**
     * Reads a duration within bounds: whole seconds ({@code 3600}) or ISO-8601
     * ({@code PT0.5S}, {@code PT30M}, {@code P31D}).
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid
     * @param min          the shortest allowed value; positive
     * @param max          the longest allowed value, or {@code null} for no upper bound
     * @return the value
     */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Object value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        return checkedDuration(key, value, defaultValue, min, max, "");
    }

    /**
     * Reads a duration that may be switched off with {@code 0}, {@code off}, {@code false},
     * {@code no}, {@code none} or a zero duration ({@code PT0S}); used for intervals of optional
     * background work.
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid; empty when the default is off
     * @param min          the shortest allowed value other than off; positive
     * @param max          the longest allowed value, or {@code null} for no upper bound
     * @return the value, or empty when switched off
     */
    public Optional<Duration> durationOrOff(String key, Optional<Duration> defaultValue, Duration min, Duration max) {
        Object value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        if (OFF.contains(value.toString().trim().toLowerCase(Locale.ROOT)) || Duration.ZERO.equals(parseDuration(value))) {
            return Optional.empty();
        }
        Duration parsed = checkedDuration(key, value, null, min, max, ", or 0 (off) to switch it off");
        return parsed == null ? defaultValue : Optional.of(parsed);
    }

    private Duration checkedDuration(String key, Object value, Duration defaultValue, Duration min, Duration max,
                                     String alternative) {
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(min) < 0 || (max != null && parsed.compareTo(max) > 0)) {
            invalid(key, value, durationRange(min, max) + " in seconds (3600) or ISO-8601 (PT30M, P31D)" + alternative);
            return defaultValue;
        }
        return parsed;
    }

    private static Duration parseDuration(Object value) {
        if (value instanceof Duration d) {
            return d;
        }
        if (value instanceof Number n) {
            return Duration.ofSeconds(n.longValue());
        }
        String text = value.toString().trim();
        try {
            return Duration.ofSeconds(Long.parseLong(text));
        } catch (NumberFormatException notSeconds) {
            try {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException notIso) {
                return null;
            }
        }
    }

    private static String durationRange(Duration min, Duration max) {
        String lower = min.compareTo(Duration.ofMillis(1)) < 0 ? "a positive duration" : "a duration of at least " + min;
        return max == null ? lower : lower + " and at most " + max;
    }

    /**
     * Reads a comma-separated list; blanks around items are dropped.
     *
     * @param key          the key
     * @param defaultValue returned when unset
     * @return the items, never empty unless the default is
     */
    public List<String> list(String key, List<String> defaultValue) {
        Object value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        List<String> items = new ArrayList<>();
        for (String item : value.toString().split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (items.isEmpty()) {
            invalid(key, value, "a comma-separated list with at least one item");
            return defaultValue;
        }
        return List.copyOf(items);
    }

    /**
     * Reads a comma-separated list of {@code host:port} addresses (an IPv6 host in brackets,
     * {@code [::1]:6379}). Host names are not resolved here.
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid
     * @return the addresses in the order given, without duplicates
     */
    public List<HostPort> hostPorts(String key, List<HostPort> defaultValue) {
        Object value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        String text = value instanceof Collection<?> items ? String.join(",", items.stream().map(Object::toString).toList())
                : value.toString();
        List<HostPort> addresses = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String trimmed = item.trim();
            HostPort address = HostPort.parse(trimmed);
            String fault = address == null ? "'" + trimmed + "' is not host:port"
                    : addresses.contains(address) ? trimmed + " is listed twice" : null;
            if (fault != null) {
                invalid(key, text, "a comma-separated list of host:port such as 10.0.0.1:6379,10.0.0.2:6379 (" + fault + ")");
                return defaultValue;
            }
            addresses.add(address);
        }
        return List.copyOf(addresses);
    }

    /**
     * The client object of {@code type} handed in from code, if any (see
     * {@link SessionConfig#client(Class)}), enforcing the rule every backend follows: a client
     * handed in and a key that configures a connection set as well is a contradiction, recorded
     * as a problem naming both, since only one of them could be used.
     *
     * @param type           the client type the backend can use
     * @param connectionKeys the backend's keys that say how to connect (URL, hosts, credentials)
     * @param <T>            that type
     * @return the client handed in, if any
     */
    public <T> Optional<T> client(Class<T> type, String... connectionKeys) {
        Optional<T> client = config.client(type);
        if (client.isPresent()) {
            for (String key : connectionKeys) {
                if (optionalString(key).isPresent()) {
                    problem(key + " is set but a " + client.get().getClass().getName() + " was also handed in from code;"
                            + " only one of them can say how to connect: remove " + key + " or do not hand in the client");
                }
            }
        }
        return client;
    }

    /**
     * Reads one of a fixed set of words, compared without regard to case.
     *
     * @param key          the key
     * @param defaultValue returned when unset or invalid
     * @param allowed      the allowed words, in the spelling returned
     * @return the allowed word that matches
     */
    public String choice(String key, String defaultValue, Collection<String> allowed) {
        Object value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        String text = value.toString().trim();
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(text)) {
                return candidate;
            }
        }
        invalid(key, value, "one of " + String.join(", ", allowed));
        return defaultValue;
    }

    /**
     * Records a bad value: {@code KEY was 'value' but it must be <expectation>}.
     *
     * @param key         the key
     * @param value       the bad value; masked when the key names a secret
     * @param expectation what is allowed, e.g. {@code "an octal file mode such as 0600"}
     */
    public void invalid(String key, Object value, String expectation) {
        problem(key + " was '" + describe(key, value) + "' but it must be " + expectation);
    }

    /**
     * Records a problem that is not about one value, e.g. two keys that contradict.
     *
     * @param sentence the whole problem; must contain no secret
     */
    public void problem(String sentence) {
        problems.add(sentence);
    }

    /**
     * @return the problems recorded so far
     */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Throws when any problem was recorded.
     *
     * @throws SessionConfigException listing every problem
     */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new SessionConfigException(problems);
        }
    }

    /**
     * How a value may be shown in a message or a log: secrets as {@code ***}, passwords in
     * URLs masked.
     *
     * @param key   the key
     * @param value the value
     * @return printable text
     */
    public static String describe(String key, Object value) {
        if (value == null) {
            return "null";
        }
        String upper = key.toUpperCase(Locale.ROOT);
        if (upper.contains("SECRET") || upper.contains("PASSWORD")) {
            return "***";
        }
        return mask(value.toString());
    }

    /**
     * Masks the passwords in a text that may hold URLs or connection strings, so that it can be
     * logged or put in a message: {@code redis://app:pw@host} becomes
     * {@code redis://app:***@host}, {@code jdbc:...?password=pw} becomes
     * {@code jdbc:...?password=***}.
     *
     * @param text any text, such as a URL
     * @return the text with every password replaced by {@code ***}
     */
    public static String mask(String text) {
        StringBuilder masked = new StringBuilder(text.length());
        int from = 0;
        for (int scheme = text.indexOf("://"); scheme >= 0; scheme = text.indexOf("://", from)) {
            int start = scheme + 3;
            int end = start;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && "\"'<>".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            // The user information ends at the URL's last '@': a password may hold '@' or '/' unencoded.
            int at = text.lastIndexOf('@', end - 1);
            masked.append(text, from, start);
            if (at >= start) {
                int colon = text.indexOf(':', start);
                masked.append(colon >= 0 && colon < at ? text.substring(start, colon + 1) : "").append("***");
                from = at;
            } else {
                from = start;
            }
        }
        masked.append(text, from, text.length());
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1***");
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return "a whole number of at least " + min;
        }
        return "a whole number from " + min + " to " + max;
    }
}
