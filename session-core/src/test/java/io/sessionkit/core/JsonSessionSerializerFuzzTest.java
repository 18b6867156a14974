package io.sessionkit.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.SessionValueException;
import io.sessionkit.spi.SessionRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzz tests of the JSON record reader on stored bytes, which are attacker-reachable when the
 * store is: whatever the bytes, {@code deserialize} returns a record or throws a
 * {@link RuntimeException} (the only failure the engine catches, logs and treats as no
 * session), never an {@link Error} such as a {@link StackOverflowError}, and returns within a
 * bound only a hang could break. The committed inputs under
 * {@code JsonSessionSerializerFuzzTestInputs} hold records as SessionKit and earlier versions
 * write them, deep nesting, long numbers and broken encodings (docs/fuzzing.md).
 */
class JsonSessionSerializerFuzzTest {

    /** Far beyond any decode of the fuzzer's inputs (a few kilobytes): only a hang reaches it. */
    private static final Duration HANG = Duration.ofSeconds(5);

    private static final JsonSessionSerializer SERIALIZER = new JsonSessionSerializer();
    /** With conditional writes and an absolute lifetime. */
    private static final CountingMemoryBackend VERSIONED_STORE = new CountingMemoryBackend.Versioned();
    private static final SessionInterface VERSIONED_ENGINE = SessionInterface.create(SessionConfig.builder()
            .set(ConfigKeys.SESSION_ABSOLUTE_LIFETIME, "P1D").build(), VERSIONED_STORE);
    /** With neither. */
    private static final CountingMemoryBackend PLAIN_STORE = new CountingMemoryBackend();
    private static final SessionInterface PLAIN_ENGINE = SessionInterface.create(SessionConfig.builder().build(), PLAIN_STORE);

    static {
        // Class loading and the first compilation are not the decoder's time.
        SERIALIZER.deserialize("{\"version\":1,\"permanent\":true,\"data\":{\"a\":[1,{\"b\":null}]}}".getBytes(StandardCharsets.UTF_8));
    }

    @FuzzTest
    void decodingFailsOnlyAsTheEngineExpectsAndQuickly(byte[] data) {
        long start = System.nanoTime();
        SessionRecord record;
        try {
            record = SERIALIZER.deserialize(data);
        } catch (RuntimeException rejected) {
            record = null;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(HANG) < 0, () -> "decoding " + data.length + " bytes took " + took);
        if (record != null) {
            assertNotNull(record.attributes());
            assertTrue(record.version() >= 0, record::toString);
            assertTrue(record.maxInactive() == null || !(record.maxInactive().isNegative() || record.maxInactive().isZero()), record::toString);
            Map<String, Object> attributes = record.attributes();
            attributes.put("written-back", true); // the engine takes ownership of the map and changes it
        }
    }

    /**
     * A record that decodes is written back and read back the same, so a session does not change
     * by being saved unchanged (a value that changed type on a save would read differently after it).
     */
    @FuzzTest
    void whatIsReadIsWrittenBackTheSame(byte[] data) {
        SessionRecord record;
        try {
            record = SERIALIZER.deserialize(data);
        } catch (RuntimeException rejected) {
            return;
        }
        SessionRecord again = SERIALIZER.deserialize(SERIALIZER.serialize(record));
        assertEquals(record, again, () -> "written back as " + new String(SERIALIZER.serialize(record), StandardCharsets.UTF_8));
    }

    /**
     * Whatever the bytes, the read by attribute the engine makes of stored JSON refuses what the
     * whole read refuses, and otherwise gives the same record.
     */
    @FuzzTest
    void aReadByAttributeAgreesWithTheWholeRead(byte[] data) {
        SessionRecord whole;
        try {
            whole = SERIALIZER.deserialize(data);
        } catch (RuntimeException refused) {
            assertThrows(RuntimeException.class, () -> SERIALIZER.deserializeSliced(data));
            return;
        }
        assertEquals(whole, SERIALIZER.deserializeSliced(data));
    }

    /**
     * Whatever bytes the store holds under a session's key, a request that reads the session,
     * changes it and saves it fails, if at all, only with the engine's documented exceptions:
     * undecodable bytes count as no session.
     */
    @FuzzTest
    void anyStoredBytesLeaveTheRequestWorking(byte[] data) {
        readChangeAndSave(VERSIONED_ENGINE, VERSIONED_STORE, data);
        readChangeAndSave(PLAIN_ENGINE, PLAIN_STORE, data);
    }

    private static void readChangeAndSave(SessionInterface engine, CountingMemoryBackend store, byte[] data) {
        store.calls.clear(); // the record of calls would grow with every input
        store.save("session:" + RejectedCookieFuzzTest.STORED_ID, data, Duration.ofDays(1));
        Session session = engine.open(RejectedCookieFuzzTest.STORED_ID);
        session.get("user");
        session.put("visits", 1);
        try {
            engine.save(session);
        } catch (SessionTooLargeException | SessionValueException documented) {
            // the record read back is too large to store again, or holds what cannot be written
        }
    }
}
