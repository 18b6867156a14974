package io.sessionkit.core;

import io.sessionkit.SessionConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Secret keys are taken exactly as given, and a short one is reported at start-up without showing it. */
class SecretKeysTest {

    private static SessionConfig signed(String key, Object fallbacks) {
        SessionConfig.Builder builder = SessionConfig.builder().set("SESSION_USE_SIGNER", "true").set("SECRET_KEY", key);
        return fallbacks == null ? builder.build() : builder.set("SECRET_KEY_FALLBACKS", fallbacks).build();
    }

    @Test
    void aKeyIsNeitherTrimmedNorSplit() {
        assertEquals(List.of("  key, with a comma and spaces  "), signed("  key, with a comma and spaces  ", null).secretKeys());
    }

    @Test
    void fallbacksAreAJsonArrayWhoseItemsAreKeptExactly() {
        SessionConfig config = signed("current", "[\" old, one \", \"older\"]");
        assertEquals(List.of("current", " old, one ", "older"), config.secretKeys());
    }

    @Test
    void fallbacksFromCodeAreACollection() {
        assertEquals(List.of("current", " a,b "), signed("current", List.of(" a,b ")).secretKeys());
    }

    @Test
    void aPlainStringOfFallbacksIsRefusedWithTheSyntaxAndWithoutTheKeys() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> signed("current", "old1,old2"));
        String problem = error.problems().get(0);
        assertTrue(problem.startsWith("SECRET_KEY_FALLBACKS was '***' but it must be a JSON array of strings such as"
                + " [\"previous key\"]"), problem);
        assertFalse(error.getMessage().contains("old1"), error.getMessage());
    }

    @Test
    void fallbacksThatAreNotStringsOrAreEmptyAreRefused() {
        assertThrows(SessionConfigException.class, () -> signed("current", "[1, 2]"));
        assertThrows(SessionConfigException.class, () -> signed("current", "{\"key\": \"x\"}"));
        SessionConfigException empty = assertThrows(SessionConfigException.class, () -> signed("current", "[\"a\", \"\"]"));
        assertEquals(List.of("SECRET_KEY_FALLBACKS holds an empty key; remove it"), empty.problems());
    }

    @Test
    void anEmptySecretKeyCountsAsUnset() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> signed("", null));
        assertEquals(List.of("SECRET_KEY is not set but it is required when SESSION_USE_SIGNER is true"), error.problems());
    }

    @Test
    void aShortKeyIsReportedByNameAndLengthButNeverShown() {
        SessionConfig config = signed("short-secret", List.of("x".repeat(32), "tiny"));
        List<String> warnings = LogCapture.warnings(SessionInterface.class,
                () -> SessionInterface.create(config, new CountingMemoryBackend.Versioned()));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("SECRET_KEY is 12 bytes long; a signing key should be at least 32 random bytes"),
                warnings.get(0));
        assertTrue(warnings.get(1).startsWith("SECRET_KEY_FALLBACKS item 2 is 4 bytes long"), warnings.get(1));
        assertFalse(String.join("\n", warnings).contains("short-secret") || String.join("\n", warnings).contains("tiny"));
    }

    @Test
    void keysAreMeasuredInBytesAndOnlyWhenTheSignerIsOn() {
        String sixteenChars = "é".repeat(16);
        assertTrue(LogCapture.warnings(SessionInterface.class,
                () -> SessionInterface.create(signed(sixteenChars, null), new CountingMemoryBackend.Versioned())).isEmpty());
        SessionConfig unsigned = SessionConfig.builder().set("SECRET_KEY", "k").build();
        assertTrue(LogCapture.warnings(SessionInterface.class,
                () -> SessionInterface.create(unsigned, new CountingMemoryBackend.Versioned())).isEmpty());
    }
}
