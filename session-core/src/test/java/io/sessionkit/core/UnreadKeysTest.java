package io.sessionkit.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class UnreadKeysTest {

    @Test
    void aMisspelledKeyIsNamedWithTheClosestKeyThatIsRead() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "memory").set("SESSION_COOKIE_NAMES", "sid").build();
        try (SessionInterface ignored = SessionInterface.create(config)) {
            assertEquals(List.of("configuration SESSION_COOKIE_NAMES is set but no installed part of SessionKit reads it"
                    + " (SESSION_TYPE is 'memory'); did you mean SESSION_COOKIE_NAME?"), UnreadKeys.warnings(config));
        }
    }

    @Test
    void aKeyFarFromEveryKnownKeyPointsToTheReference() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "memory").set("SESSION_SOMETHING_ELSE", "1").build();
        try (SessionInterface ignored = SessionInterface.create(config)) {
            assertEquals(List.of("configuration SESSION_SOMETHING_ELSE is set but no installed part of SessionKit reads it"
                    + " (SESSION_TYPE is 'memory'); check its spelling against docs/configuration.md"), UnreadKeys.warnings(config));
        }
    }

    @Test
    void everyKeyTheEngineAndItsStoreReadIsSilent() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "memory").set("SESSION_COOKIE_NAME", "sid")
                .set("PERMANENT_SESSION_LIFETIME", "60").set("SECRET_KEY", "k").build();
        try (SessionInterface ignored = SessionInterface.create(config)) {
            assertEquals(List.of(), UnreadKeys.warnings(config));
        }
    }

    @Test
    void theEngineLogsTheWarningAtStartUp() {
        List<String> logged = LogCapture.warnings(SessionInterface.class, () -> SessionInterface.create(SessionConfig.builder()
                .set("SESSION_TYPE", "memory").set("SESSION_PERMANANT", "false").build()).close());
        assertEquals(List.of("configuration SESSION_PERMANANT is set but no installed part of SessionKit reads it"
                + " (SESSION_TYPE is 'memory'); did you mean SESSION_PERMANENT?"),
                logged.stream().filter(line -> line.contains("SESSION_PERMANANT")).toList());
    }

    @Test
    void closestPrefersTheSmallestDistanceWithinAFifthOfTheLength() {
        Set<String> known = Set.of("SESSION_REDIS_TIMEOUT", "SESSION_REDIS_CONNECT_TIMEOUT", "SESSION_REDIS");
        assertEquals("SESSION_REDIS_TIMEOUT", UnreadKeys.closest("SESSION_REDIS_TIMOUT", known));
        assertEquals("SESSION_REDIS", UnreadKeys.closest("SESSION_REDIZ", known));
        assertNull(UnreadKeys.closest("SESSION_MEMCACHED", known));
        assertEquals("SESSION_AB", UnreadKeys.closest("SESSION_A", Set.of("SESSION_AB", "SESSION_ABC")), "one edit beats two");
    }

    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, UnreadKeys.distance("abc", "abc"));
        assertEquals(1, UnreadKeys.distance("abc", "abd"));
        assertEquals(1, UnreadKeys.distance("abc", "ab"));
        assertEquals(1, UnreadKeys.distance("ab", "abc"));
        assertEquals(3, UnreadKeys.distance("", "abc"));
        assertEquals(3, UnreadKeys.distance("kitten", "sitting"));
    }

    @Test
    void aKeyExactlyAFifthOfItsLengthAwayIsStillNamed() {
        // 20 characters allow 4 edits; at least 2 are allowed for short keys
        assertEquals("SESSION_REDIS_TIMEOUT", UnreadKeys.closest("SESSION_REDIS_TIMXXX", Set.of("SESSION_REDIS_TIMEOUT")));
        assertNull(UnreadKeys.closest("SESSION_REDIS_TXXXXX", Set.of("SESSION_REDIS_TIMEOUT")));
        assertEquals("SESSION_AB", UnreadKeys.closest("SESSION_XY", Set.of("SESSION_AB")));
        assertNull(UnreadKeys.closest("SESSION_XYZ", Set.of("SESSION_AB")));
    }

    @Test
    void ofEquallyNearKeysTheFirstInTheKnownOrderIsNamed() {
        Set<String> known = new java.util.LinkedHashSet<>(List.of("SESSION_AB", "SESSION_AD"));
        assertEquals("SESSION_AB", UnreadKeys.closest("SESSION_AC", known));
        known = new java.util.LinkedHashSet<>(List.of("SESSION_AD", "SESSION_AB"));
        assertEquals("SESSION_AD", UnreadKeys.closest("SESSION_AC", known));
    }
}
