package io.sessionkit.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.ConfigKeys;
import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads {@code SECRET_KEY} and {@code SECRET_KEY_FALLBACKS} exactly as given: a key is never
 * trimmed and never split, because a space or a comma may be part of it. Fallbacks are a
 * {@link Collection} from code, or a JSON array of strings from the environment or a properties
 * file, which is also how Flask reads a list from its environment.
 */
final class SecretKeys {

    /** Below this, a key can be guessed offline from one signed cookie; 32 bytes match SHA-256. */
    static final int RECOMMENDED_BYTES = 32;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FALLBACKS_SYNTAX = "a JSON array of strings such as [\"previous key\"]"
            + " (each key is used exactly as given, so a comma or a space is part of a key, not a separator)";

    private SecretKeys() {
    }

    /**
     * @param signing whether {@code SESSION_USE_SIGNER} is on, which makes {@code SECRET_KEY} required
     * @return {@code SECRET_KEY} (when set) followed by the fallbacks
     */
    static List<String> read(ConfigReader reader, boolean signing) {
        List<String> keys = new ArrayList<>();
        // The configuration drops blank text, so a key that is there is not empty.
        Object current = reader.exactValue(ConfigKeys.SECRET_KEY).orElse(null);
        if (current == null) {
            if (signing) {
                reader.problem(ConfigKeys.SECRET_KEY + " is not set but it is required when SESSION_USE_SIGNER is true");
            }
        } else {
            keys.add(current.toString());
        }
        reader.exactValue(ConfigKeys.SECRET_KEY_FALLBACKS).ifPresent(value -> keys.addAll(fallbacks(reader, value)));
        return List.copyOf(keys);
    }

    private static List<String> fallbacks(ConfigReader reader, Object value) {
        List<String> keys = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            items.forEach(item -> keys.add(String.valueOf(item)));
        } else if (!parseArray(value.toString(), keys)) {
            reader.invalid(ConfigKeys.SECRET_KEY_FALLBACKS, value, FALLBACKS_SYNTAX);
            return List.of();
        }
        if (keys.stream().anyMatch(String::isEmpty)) {
            reader.problem(ConfigKeys.SECRET_KEY_FALLBACKS + " holds an empty key; remove it");
            return List.of();
        }
        return keys;
    }

    private static boolean parseArray(String text, List<String> keys) {
        try {
            JsonNode array = JSON.readTree(text);
            if (array == null || !array.isArray()) {
                return false;
            }
            for (JsonNode item : array) {
                if (!item.isTextual()) {
                    return false;
                }
                keys.add(item.textValue());
            }
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    /**
     * Warns about each signing or verifying key shorter than {@value #RECOMMENDED_BYTES} bytes,
     * naming where it came from but never the key.
     */
    static void warnIfShort(SessionConfig config, Logger log) {
        List<String> keys = config.secretKeys();
        for (int i = 0; i < keys.size(); i++) {
            int bytes = keys.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (bytes < RECOMMENDED_BYTES) {
                String which = i == 0 ? ConfigKeys.SECRET_KEY : ConfigKeys.SECRET_KEY_FALLBACKS + " item " + i;
                log.warn("{} is {} bytes long; a signing key should be at least {} random bytes, or a signed cookie"
                        + " lets its key be guessed offline (make one with: openssl rand -base64 32)",
                        which, bytes, RECOMMENDED_BYTES);
            }
        }
    }
}
