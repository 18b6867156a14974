package io.sessionkit.serialization.binary;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzz tests of the smile and cbor readers on stored bytes, which are attacker-reachable when
 * the store is: whatever the bytes, {@code deserialize} returns a record or throws a
 * {@link RuntimeException} (the only failure the engine catches, logs and treats as no
 * session), never an {@link Error}, and returns within a bound only a hang could break; a
 * record that is read is written back and read back the same. The committed inputs under
 * {@code BinaryFormatsFuzzTestInputs} hold records of both formats, deep nesting, big numbers
 * and cut records.
 */
class BinaryFormatsFuzzTest {

    /** Far beyond any decode of the fuzzer's inputs (a few kilobytes): only a hang reaches it. */
    private static final Duration HANG = Duration.ofSeconds(5);

    private static final SessionSerializer SMILE = new SmileSessionSerializer();
    private static final SessionSerializer CBOR = new CborSessionSerializer();

    static {
        // Class loading and the first compilation are not the decoder's time.
        for (SessionSerializer serializer : List.of(SMILE, CBOR)) {
            serializer.deserialize(serializer.serialize(new SessionRecord(Map.of("a", List.of(1, Map.of("b", "c"))), true)));
        }
    }

    @FuzzTest
    void smileFailsOnlyAsTheEngineExpectsAndQuickly(byte[] data) {
        decodesOrRefuses(SMILE, data);
    }

    @FuzzTest
    void cborFailsOnlyAsTheEngineExpectsAndQuickly(byte[] data) {
        decodesOrRefuses(CBOR, data);
    }

    @FuzzTest
    void smileWritesBackWhatItReads(byte[] data) {
        writesBackWhatItReads(SMILE, data);
    }

    @FuzzTest
    void cborWritesBackWhatItReads(byte[] data) {
        writesBackWhatItReads(CBOR, data);
    }

    private static void decodesOrRefuses(SessionSerializer serializer, byte[] data) {
        long start = System.nanoTime();
        SessionRecord record;
        try {
            record = serializer.deserialize(data);
        } catch (RuntimeException refused) {
            record = null;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(HANG) < 0, () -> "decoding " + data.length + " bytes took " + took);
        if (record != null) {
            assertTrue(record.version() >= 0, record::toString);
            record.attributes().put("written-back", true); // the engine takes ownership of the map and changes it
        }
    }

    private static void writesBackWhatItReads(SessionSerializer serializer, byte[] data) {
        SessionRecord record;
        try {
            record = serializer.deserialize(data);
        } catch (RuntimeException refused) {
            return;
        }
        SessionRecord again = serializer.deserialize(serializer.serialize(record));
        assertEquals(record.permanent(), again.permanent());
        assertEquals(record.version(), again.version());
        assertEquals(record.created(), again.created());
        assertEquals(record.maxInactive(), again.maxInactive());
        assertEquals(record.absoluteExpiry(), again.absoluteExpiry());
        assertTrue(sameValue(record.attributes(), again.attributes()), () -> record + " read back as " + again);
    }

    /** Equality in which byte arrays compare by content: binary formats give them back as arrays. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.size() == y.size() && x.entrySet().stream()
                    .allMatch(entry -> y.containsKey(entry.getKey()) && sameValue(entry.getValue(), y.get(entry.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameValue(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}
