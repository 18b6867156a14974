package io.sessionkit.spring.boot;

import io.sessionkit.ConfigKeys;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the name of a {@code sessionkit.*} property, without the prefix, into SessionKit's key:
 * {@code cookie.same-site} and {@code cookie.sameSite} and {@code COOKIE_SAMESITE} all name
 * {@code SESSION_COOKIE_SAMESITE}. The rule is {@code SESSION_} followed by the name in upper
 * case with dots, dashes and camel-case humps as underscores; six names are exceptions: Flask's
 * three keys without the {@code SESSION_} prefix, and the three connection keys whose
 * {@code SESSION_*} name is also the stem of the store's other keys.
 */
final class SessionKeyNames {

    private static final Map<String, String> EXCEPTIONS = Map.of(
            "SECRET_KEY", ConfigKeys.SECRET_KEY,
            "SECRET_KEY_FALLBACKS", ConfigKeys.SECRET_KEY_FALLBACKS,
            "PERMANENT_SESSION_LIFETIME", ConfigKeys.PERMANENT_SESSION_LIFETIME,
            "REDIS_URL", "SESSION_REDIS",
            "MONGODB_URL", "SESSION_MONGODB",
            "MEMCACHED_SERVERS", "SESSION_MEMCACHED");

    /** The starter's own switches under {@code sessionkit.}: not SessionKit keys. */
    private static final Set<String> STARTER_PROPERTIES = Set.of("ENABLED", "SPRING_SECURITY_ENABLED", "METRICS_ENABLED");

    private SessionKeyNames() {
    }

    /**
     * @param propertyName a property name below {@code sessionkit.}, such as {@code redis.url}
     * @return SessionKit's key, or empty for the starter's own properties
     */
    static Optional<String> keyFor(String propertyName) {
        String normalized = normalize(propertyName);
        if (STARTER_PROPERTIES.contains(normalized)) {
            return Optional.empty();
        }
        return Optional.of(EXCEPTIONS.getOrDefault(normalized, "SESSION_" + normalized));
    }

    private static String normalize(String propertyName) {
        StringBuilder key = new StringBuilder(propertyName.length() + 8);
        char previous = '_';
        for (char c : propertyName.toCharArray()) {
            boolean separator = c == '.' || c == '-' || c == '_';
            boolean hump = Character.isUpperCase(c) && Character.isLowerCase(previous);
            if (separator || hump) {
                if (key.length() > 0 && key.charAt(key.length() - 1) != '_') {
                    key.append('_');
                }
                if (separator) {
                    previous = '_';
                    continue;
                }
            }
            key.append(c);
            previous = c;
        }
        return key.toString().toUpperCase(Locale.ROOT);
    }
}
