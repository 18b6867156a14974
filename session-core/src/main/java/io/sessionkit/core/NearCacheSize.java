package io.sessionkit.core;

import io.sessionkit.ConfigKeys;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SESSION_NEAR_CACHE}: how much of this process's memory keeps recently used sessions, as
 * a number of sessions or of bytes of their stored form.
 *
 * @param limit   the most sessions, or bytes, kept; 0 when the near cache is off
 * @param inBytes whether {@code limit} counts bytes rather than sessions
 */
public record NearCacheSize(long limit, boolean inBytes) {

    /** No near cache, the default. */
    public static final NearCacheSize OFF = new NearCacheSize(0, false);

    private static final Set<String> OFF_WORDS = Set.of("0", "off", "false", "no", "none");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(|kib|mib|gib|kb|mb|gb)");

    /**
     * @return whether there is a near cache
     */
    public boolean enabled() {
        return limit > 0;
    }

    static NearCacheSize read(ConfigReader reader) {
        String given = reader.optionalString(ConfigKeys.SESSION_NEAR_CACHE).orElse("off");
        String text = given.toLowerCase(Locale.ROOT);
        if (OFF_WORDS.contains(text)) {
            return OFF;
        }
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            reader.problem(ConfigKeys.SESSION_NEAR_CACHE + " was '" + given + "' but must be 'off', a number of sessions"
                    + " (10000) or a size in bytes with KiB, MiB or GiB (64MiB)");
            return OFF;
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        if (unit.isEmpty()) {
            return new NearCacheSize(number, false);
        }
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
        };
        if (number > (Long.MAX_VALUE >> shift)) {
            reader.problem(ConfigKeys.SESSION_NEAR_CACHE + " was '" + given + "', more bytes than a process can have; give at most"
                    + " 8589934591GiB");
            return OFF;
        }
        return new NearCacheSize(number << shift, true);
    }

    @Override
    public String toString() {
        return !enabled() ? "off" : inBytes ? limit + " bytes" : limit + " sessions";
    }
}
