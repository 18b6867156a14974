package io.sessionkit.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionTooLargeException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzz tests of configuration parsing. The input is UTF-8 text, one setting {@code KEY=VALUE} per
 * line; a key that is not one of {@link ConfigKeys} picks one of them by its hash, so that any
 * text sets real keys. Whatever the values:
 * <ul>
 *   <li>building the configuration succeeds or throws {@link SessionConfigException}, nothing else;</li>
 *   <li>no secret value appears in that exception's message or in {@link SessionConfig#toString()};</li>
 *   <li>an engine started on an accepted configuration fails, if at all, with
 *       {@link SessionConfigException}, and serves a session: it saves one (or refuses it as
 *       larger than {@code SESSION_MAX_SIZE}), and a request that sends back the cookie it set
 *       reads the session again.</li>
 * </ul>
 * The committed inputs under {@code SessionConfigFuzzTestInputs} hold valid, invalid and extreme
 * settings (docs/fuzzing.md).
 */
class SessionConfigFuzzTest {

    private static final List<String> KEYS = engineKeys();
    private static final List<String> SECRET_KEYS = List.of(ConfigKeys.SECRET_KEY, ConfigKeys.SECRET_KEY_FALLBACKS);
    /** Shorter secrets may occur in a message by chance, as part of its fixed text or another value. */
    private static final int SECRET_CHECKED_FROM_LENGTH = 12;

    @FuzzTest
    void settingsFailOnlyWithTheConfigurationException(byte[] input) {
        Map<String, String> settings = settings(input);
        SessionConfig config;
        try {
            config = SessionConfig.builder().fromMap(settings).build();
        } catch (SessionConfigException invalid) {
            assertNoSecretIn(invalid.getMessage(), settings, false);
            return;
        }
        assertNoSecretIn(config.toString(), settings, false);
        SessionInterface engine;
        try {
            engine = SessionInterface.create(config, new CountingMemoryBackend.Versioned());
        } catch (SessionConfigException invalid) {
            assertNoSecretIn(invalid.getMessage(), settings, true);
            return;
        }
        Session session = engine.open(null);
        session.put("user", "ada");
        String setCookie;
        try {
            setCookie = engine.save(session).setCookieHeader();
        } catch (SessionTooLargeException documented) {
            assertTrue(config.maxSize() > 0, () -> "too large with no " + ConfigKeys.SESSION_MAX_SIZE + ": " + documented);
            return;
        }
        assertNotNull(setCookie, () -> "no cookie set with " + config);
        String cookie = setCookie.substring(0, setCookie.indexOf(';') < 0 ? setCookie.length() : setCookie.indexOf(';'));
        Session again = engine.openFromCookies(engine.cookieValues(List.of(cookie).iterator()));
        assertEquals("ada", again.get("user"), () -> "the session was not read back with " + config + " from " + cookie);
        engine.release(again);
    }

    /** Each line {@code KEY=VALUE}; a later line for the same key wins, as a later source does. */
    static Map<String, String> settings(byte[] input) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : SessionCookieFuzzTest.lines(input)) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = line.substring(0, equals);
            if (!KEYS.contains(key)) {
                key = KEYS.get(Math.floorMod(key.hashCode(), KEYS.size()));
            }
            settings.put(key, line.substring(equals + 1));
        }
        return settings;
    }

    /**
     * A secret counts as leaked when the text shows it although no other setting holds it and the
     * same settings with the secret replaced by other characters do not show it: then it is not
     * part of the fixed text of a message.
     */
    private static void assertNoSecretIn(String text, Map<String, String> settings, boolean fromEngine) {
        for (String key : SECRET_KEYS) {
            String value = settings.get(key);
            if (value == null) {
                continue;
            }
            for (String secret : value.split(",")) {
                String trimmed = secret.trim();
                if (trimmed.length() >= SECRET_CHECKED_FROM_LENGTH && text.contains(trimmed)
                        && !heldByAnotherSetting(trimmed, settings) && !textWithout(trimmed, settings, fromEngine).contains(trimmed)) {
                    fail(key + " appears in: " + text);
                }
            }
        }
    }

    private static boolean heldByAnotherSetting(String secret, Map<String, String> settings) {
        String lower = secret.toLowerCase(Locale.ROOT);
        return settings.entrySet().stream().anyMatch(setting -> !SECRET_KEYS.contains(setting.getKey())
                && (setting.getKey() + "=" + setting.getValue()).toLowerCase(Locale.ROOT).contains(lower));
    }

    /**
     * What the settings with the secret replaced make the configuration say (its exception's
     * message or its {@code toString()}) or, with {@code fromEngine}, the engine's exception.
     */
    private static String textWithout(String secret, Map<String, String> settings, boolean fromEngine) {
        Map<String, String> replaced = new LinkedHashMap<>();
        settings.forEach((key, value) -> replaced.put(key,
                SECRET_KEYS.contains(key) ? value.replace(secret, "#".repeat(secret.length())) : value));
        try {
            SessionConfig config = SessionConfig.builder().fromMap(replaced).build();
            if (fromEngine) {
                SessionInterface.create(config, new CountingMemoryBackend.Versioned());
            }
            return config.toString();
        } catch (RuntimeException failed) {
            return String.valueOf(failed.getMessage());
        }
    }

    private static List<String> engineKeys() {
        List<String> keys = new ArrayList<>();
        for (Field field : ConfigKeys.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    keys.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return List.copyOf(keys);
    }
}
