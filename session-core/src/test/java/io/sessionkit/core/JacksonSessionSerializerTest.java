package io.sessionkit.core;

import com.fasterxml.jackson.core.JsonFactory;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rules {@link JacksonSessionSerializer} applies by the kind of format its factory makes.
 * The binary formats live in another module; here a JSON factory that says it holds binary
 * natively stands in for one, so that the rules are pinned where they are written.
 */
class JacksonSessionSerializerTest {

    /** JSON text, read with the rules of a binary format. */
    private static final class BinaryLikeFactory extends JsonFactory {
        @Override
        public boolean canHandleBinaryNatively() {
            return true;
        }
    }

    private final JacksonSessionSerializer binaryLike = new JacksonSessionSerializer("json", new BinaryLikeFactory()) { };

    private SessionRecord read(JacksonSessionSerializer serializer, String record) {
        return serializer.deserialize(record.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFormatThatHoldsBinaryRefusesTextWithALoneSurrogateInAValueOrAKey() {
        for (String record : List.of("{\"data\":{\"a\":\"x\\udf75\"}}", "{\"data\":{\"a\":[\"\\ud83c\"]}}",
                "{\"data\":{\"a\":{\"\\udf75\":1}}}", "{\"data\":{\"a\":\"\\udf75\\ud83c\"}}")) {
            RuntimeException error = assertThrows(RuntimeException.class, () -> read(binaryLike, record), record);
            assertEquals("not a SessionKit JSON session: a string with a lone surrogate, which is not Unicode", error.getMessage());
        }
        assertEquals("tea \uD83C\uDF75", read(binaryLike, "{\"data\":{\"a\":\"tea \\ud83c\\udf75\"}}").attributes().get("a"));
    }

    @Test
    void jsonLeavesLoneSurrogatesToItsOwnParserAndRefusesInfinities() {
        JsonSessionSerializer json = new JsonSessionSerializer();
        assertEquals("x\uDF75", read(json, "{\"data\":{\"a\":\"x\\udf75\"}}").attributes().get("a"));
        assertThrows(IllegalArgumentException.class, () -> read(json, "{\"data\":{\"n\":1e400}}"));
        assertEquals(Double.POSITIVE_INFINITY, read(binaryLike, "{\"data\":{\"n\":1e400}}").attributes().get("n"),
                "a binary format holds infinities as they are");
    }

    @Test
    void aFormatThatHoldsBinaryGivesWholeNumbersJsonsTypes() {
        SessionRecord record = read(binaryLike, "{\"data\":{\"big\":123456789012345678901234567890,\"list\":[7,[8]],\"m\":{\"k\":9}}}");
        assertEquals(Map.of("big", new java.math.BigInteger("123456789012345678901234567890"), "list", List.of(7, List.of(8)),
                "m", Map.of("k", 9)), record.attributes());
    }

    @Test
    void messagesNameTheFormatWhenJacksonNamesNoneForAnApplicationsFactory() {
        JacksonSessionSerializer own = new JacksonSessionSerializer("jsonish", new BinaryLikeFactory()) { };
        RuntimeException error = assertThrows(RuntimeException.class, () -> read(own, "[]"));
        assertEquals("not a SessionKit JSONISH session: expected START_OBJECT but found START_ARRAY", error.getMessage());
    }

    @Test
    void theFormatNameAndFactoryAreRequired() {
        assertThrows(NullPointerException.class, () -> new JacksonSessionSerializer(null, new JsonFactory()) { });
        assertThrows(NullPointerException.class, () -> new JacksonSessionSerializer("x", (JsonFactory) null) { });
        assertThrows(NullPointerException.class, () -> new JacksonSessionSerializer("x", new JsonFactory(), null) { });
        assertEquals("json", binaryLike.format());
    }

    @Test
    void messagesUseJacksonsNameOfTheFormatWhenItHasOne() {
        JacksonSessionSerializer named = new JacksonSessionSerializer("myjson", new com.fasterxml.jackson.core.JsonFactory()) { };
        RuntimeException error = assertThrows(RuntimeException.class, () -> read(named, "[]"));
        assertEquals("not a SessionKit JSON session: expected START_OBJECT but found START_ARRAY", error.getMessage());
    }

    @Test
    void aMapperThatAsksForLongOrBigIntegerWholeNumbersIsObeyed() {
        com.fasterxml.jackson.databind.ObjectMapper longs = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);
        JacksonSessionSerializer withLongs = new JacksonSessionSerializer("json", new BinaryLikeFactory(), longs) { };
        assertEquals(7L, read(withLongs, "{\"data\":{\"n\":7}}").attributes().get("n"));
        com.fasterxml.jackson.databind.ObjectMapper bigs = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
        JacksonSessionSerializer withBigs = new JacksonSessionSerializer("json", new BinaryLikeFactory(), bigs) { };
        assertEquals(java.math.BigInteger.valueOf(7), read(withBigs, "{\"data\":{\"n\":7}}").attributes().get("n"));
    }

    @Test
    void wholeNumbersBeyondTheSmallerTypeKeepTheirValue() {
        SessionRecord record = read(binaryLike, "{\"data\":{\"long\":1099511627776,\"big\":9223372036854775808,"
                + "\"list\":[1099511627776],\"m\":{\"k\":-1099511627776}}}");
        assertEquals(Map.of("long", 1_099_511_627_776L, "big", new java.math.BigInteger("9223372036854775808"),
                "list", List.of(1_099_511_627_776L), "m", Map.of("k", -1_099_511_627_776L)), record.attributes());
    }
}
