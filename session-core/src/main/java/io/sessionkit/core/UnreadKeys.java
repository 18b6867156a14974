package io.sessionkit.core;

import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the SessionKit keys that are set but that no installed part read, such as a misspelled
 * {@code SESSION_REDIS_TIMOUT}, which would otherwise fall back to its default without a word,
 * and names the closest key that is read.
 */
final class UnreadKeys {

    private UnreadKeys() {
    }

    /**
     * Logs one warning per unread key. Call once the engine and its backend have read their keys.
     *
     * @param config the configuration the engine and the backend were created from
     * @param log    where the warnings go
     */
    static void warn(SessionConfig config, Logger log) {
        for (String warning : warnings(config)) {
            log.warn(warning);
        }
    }

    /**
     * @param config the configuration the engine and the backend were created from
     * @return one sentence per key set that nothing read
     */
    static List<String> warnings(SessionConfig config) {
        Set<String> known = config.readKeys();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> unread : config.unreadKeys().entrySet()) {
            String key = unread.getKey();
            String closest = closest(key, known);
            warnings.add(unread.getValue() + " " + key + " is set but no installed part of SessionKit reads it"
                    + " (SESSION_TYPE is '" + config.type() + "')"
                    + (closest == null ? "; check its spelling against docs/configuration.md"
                            : "; did you mean " + closest + "?"));
        }
        return warnings;
    }

    /**
     * @return the known key nearest to {@code key} by edit distance, if it is near enough to be
     *         a likely misspelling; otherwise {@code null}
     */
    static String closest(String key, Set<String> known) {
        int allowed = Math.max(2, key.length() / 5);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(key, candidate);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
