package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ends of every number a stored record carries: a record at the edge is read, one past it
 * is no session, so that no save of a record that was read can overflow.
 */
class StoredRecordBoundsTest {

    private final JsonSessionSerializer json = new JsonSessionSerializer();

    private SessionRecord read(String envelope) {
        return json.deserialize(envelope.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRefused(String envelope) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(envelope));
        assertTrue(error.getMessage().startsWith("not a SessionKit JSON session"), error.getMessage());
    }

    @Test
    void theVersionRunsFromZeroToOneBelowTheLargestLong() {
        assertEquals(0, read("{\"version\":0,\"data\":{}}").version());
        assertEquals(Long.MAX_VALUE - 1, read("{\"version\":9223372036854775806,\"data\":{}}").version());
        assertRefused("{\"version\":9223372036854775807,\"data\":{}}");
        assertRefused("{\"version\":-1,\"data\":{}}");
    }

    @Test
    void timesRunFromTheEpochToTheEndOfTheYear9999() {
        long last = 253402300799999L;
        assertEquals(last, read("{\"created\":" + last + ",\"data\":{}}").created().toEpochMilli());
        assertEquals(0, read("{\"absoluteExpiry\":0,\"data\":{}}").absoluteExpiry().toEpochMilli());
        assertRefused("{\"created\":" + (last + 1) + ",\"data\":{}}");
        assertRefused("{\"absoluteExpiry\":" + (last + 1) + ",\"data\":{}}");
        assertRefused("{\"created\":-1,\"data\":{}}");
    }

    @Test
    void anIdleTimeoutRunsFromOneSecondToTheLongestLifetime() {
        long longest = SessionRecord.LONGEST_LIFETIME.toSeconds();
        assertEquals(SessionRecord.LONGEST_LIFETIME, read("{\"maxInactive\":" + longest + ",\"data\":{}}").maxInactive());
        assertRefused("{\"maxInactive\":" + (longest + 1) + ",\"data\":{}}");
        assertRefused("{\"maxInactive\":0,\"data\":{}}");
    }

    @Test
    void aNumberBeyondADoublesRangeAnywhereInTheDataIsRefused() {
        assertEquals(1e300, read("{\"data\":{\"n\":1e300}}").attributes().get("n"));
        assertRefused("{\"data\":{\"n\":1e400}}");
        assertRefused("{\"data\":{\"cart\":{\"items\":[1,2,-1e400]}}}");
        assertRefused("{\"data\":{\"list\":[[{\"deep\":1e999}]]}}");
        assertEquals(Map.of("list", List.of(1.5, "x")), read("{\"data\":{\"list\":[1.5,\"x\"]}}").attributes());
    }

    @Test
    void aRecordCarriesNoIdleTimeoutBeyondTheLongestLifetime() {
        assertEquals(SessionRecord.LONGEST_LIFETIME,
                new SessionRecord(Map.of(), true, 1, null, SessionRecord.LONGEST_LIFETIME, null).maxInactive());
        assertThrows(IllegalArgumentException.class, () -> new SessionRecord(Map.of(), true, 1, null,
                SessionRecord.LONGEST_LIFETIME.plusSeconds(1), null));
        assertThrows(IllegalArgumentException.class, () -> new SessionRecord(Map.of(), true, 1, null, Duration.ZERO, null));
        assertThrows(IllegalArgumentException.class, () -> new SessionRecord(Map.of(), true, -1, null, null, null));
    }

    @Test
    void aSessionsOwnIdleTimeoutIsAtMostTheLongestLifetime() {
        Session session = SessionInterface.create(SessionConfig.builder().build(), new CountingMemoryBackend.Versioned())
                .open(null);
        session.setMaxInactiveInterval(SessionRecord.LONGEST_LIFETIME);
        assertEquals(SessionRecord.LONGEST_LIFETIME, session.maxInactiveInterval().orElseThrow());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> session.setMaxInactiveInterval(SessionRecord.LONGEST_LIFETIME.plusSeconds(1)));
        assertTrue(error.getMessage().startsWith("a session's idle timeout must be positive and at most PT876000H"),
                error.getMessage());
    }
}
