package io.sessionkit.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sessionkit.SessionValueException;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonSessionSerializerTest {

    private final JsonSessionSerializer json = new JsonSessionSerializer();

    @Test
    void writesACompactReadableDocument() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user", "Zoë");
        attributes.put("cart", List.of(1, 2));
        byte[] bytes = json.serialize(new SessionRecord(attributes, true, 3, Instant.ofEpochMilli(1764806400123L),
                Duration.ofMinutes(30), Instant.ofEpochMilli(1764892800000L)));
        assertEquals("{\"version\":3,\"created\":1764806400123,\"maxInactive\":1800,\"absoluteExpiry\":1764892800000,"
                + "\"permanent\":true,\"data\":{\"user\":\"Zoë\",\"cart\":[1,2]}}", new String(bytes, StandardCharsets.UTF_8));
        SessionRecord back = json.deserialize(bytes);
        assertTrue(back.permanent());
        assertEquals(3, back.version());
        assertEquals(Instant.ofEpochMilli(1764806400123L), back.created());
        assertEquals(Duration.ofMinutes(30), back.maxInactive());
        assertEquals(Instant.ofEpochMilli(1764892800000L), back.absoluteExpiry());
        assertEquals(attributes, back.attributes());
        back.attributes().put("mutable", true);
    }

    @Test
    void leavesOutTheOptionalFieldsThatAreUnset() {
        byte[] bytes = json.serialize(new SessionRecord(Map.of("k", 1), false, 1, null, null, null));
        assertEquals("{\"version\":1,\"permanent\":false,\"data\":{\"k\":1}}", new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void readsTheRecordsOfTheReleaseBeforeVersionsAsVersionZero() {
        // Exactly the bytes SessionKit 0.1 wrote: no version, no times.
        SessionRecord record = json.deserialize("{\"permanent\":true,\"data\":{\"user\":\"ada\",\"cart\":[\"apple\"]}}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(new SessionRecord(Map.of("user", "ada", "cart", List.of("apple")), true, 0, null, null, null), record);
    }

    @Test
    void rejectsEnvelopeFieldsOfTheWrongKind() {
        for (String bad : List.of("{\"version\":\"3\",\"data\":{}}", "{\"version\":-1,\"data\":{}}", "{\"created\":1.5,\"data\":{}}",
                "{\"maxInactive\":0,\"data\":{}}", "{\"absoluteExpiry\":true,\"data\":{}}")) {
            RuntimeException error = assertThrows(RuntimeException.class, () -> json.deserialize(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertTrue(error.getMessage().startsWith("not a SessionKit JSON session"), error.getMessage());
        }
    }

    @Test
    void neverInstantiatesClassesNamedByTheData() {
        byte[] hostile = ("{\"permanent\":false,\"data\":{\"x\":[\"java.net.URL\",\"http://127.0.0.1/\"],"
                + "\"y\":{\"@class\":\"java.io.File\",\"path\":\"/etc/passwd\"}}}").getBytes(StandardCharsets.UTF_8);
        SessionRecord record = json.deserialize(hostile);
        assertEquals(List.of("java.net.URL", "http://127.0.0.1/"), record.attributes().get("x"));
        assertEquals(Map.of("@class", "java.io.File", "path", "/etc/passwd"), record.attributes().get("y"));
    }

    @Test
    void rejectsWhatItDidNotWrite() {
        for (String bad : List.of("", "[]", "{}", "{\"data\":[]}", "{\"data\":{\"a\":", "\u0000\u0001", "{\"permanent\":true}")) {
            assertThrows(RuntimeException.class, () -> json.deserialize(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    private SessionRecord read(String record) {
        return json.deserialize(record.getBytes(StandardCharsets.UTF_8));
    }

    private String refusal(String record) {
        RuntimeException error = assertThrows(RuntimeException.class, () -> read(record), record);
        assertTrue(error.getMessage().startsWith("not a SessionKit JSON session"), error.getMessage());
        return error.getMessage();
    }

    @Test
    void refusesAnythingAfterTheRecord() {
        String record = "{\"version\":1,\"permanent\":true,\"data\":{\"user\":\"ada\"}}";
        assertEquals(Map.of("user", "ada"), read(record + " \n").attributes(), "whitespace after it is fine");
        for (String trailing : List.of("{}", "{\"data\":{\"role\":\"admin\"}}", "]", "1", "\"x\"", "null", "garbage")) {
            refusal(record + trailing);
        }
    }

    @Test
    void refusesAPermanentFlagThatIsNotABoolean() {
        for (String value : List.of("\"yes\"", "\"true\"", "1", "0", "null", "{}", "[true]")) {
            String message = refusal("{\"permanent\":" + value + ",\"data\":{}}");
            assertTrue(message.contains("\"permanent\" is "), message);
            assertTrue(message.endsWith("not true or false"), message);
        }
        assertFalse(read("{\"permanent\":false,\"data\":{}}").permanent());
    }

    @Test
    void refusesAnEnvelopeFieldGivenTwice() {
        for (String record : List.of("{\"permanent\":false,\"permanent\":true,\"data\":{}}",
                "{\"version\":1,\"version\":2,\"data\":{}}", "{\"created\":1,\"created\":2,\"data\":{}}",
                "{\"maxInactive\":1,\"maxInactive\":2,\"data\":{}}",
                "{\"absoluteExpiry\":1,\"absoluteExpiry\":2,\"data\":{}}",
                "{\"data\":{},\"data\":{\"role\":\"admin\"}}")) {
            String message = refusal(record);
            assertTrue(message.endsWith("appears twice"), message);
        }
    }

    @Test
    void refusesNullForAnOptionalField() {
        for (String record : List.of("{\"version\":null,\"data\":{}}", "{\"created\":null,\"data\":{}}",
                "{\"maxInactive\":null,\"data\":{}}", "{\"absoluteExpiry\":null,\"data\":{}}", "{\"data\":null}")) {
            refusal(record);
        }
    }

    @Test
    void itsRefusalsQuoteNoneOfTheStoredBytes() {
        for (String record : List.of("{\"permanent\":true,\"data\":{\"pin\":hunter2}}",
                "{\"permanent\":true,\"data\":{\"pin\":\"1234\"}}hunter2",
                "{\"permanent\":true,\"data\":{\"pin\" \"hunter2\"}}",
                "hunter2")) {
            String message = refusal(record);
            assertFalse(message.contains("hunter2"), message);
            assertFalse(message.contains("1234"), message);
        }
    }

    @Test
    void limitsNestingAndNumbersExplicitly() {
        int depth = SessionJsonMapper.MAX_NESTING_DEPTH - 2; // the envelope and "data" are two levels
        assertNotNull(read("{\"data\":{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}}"));
        assertTrue(refusal("{\"data\":{\"a\":" + "[".repeat(depth + 1) + "]".repeat(depth + 1) + "}}")
                .contains("nesting depth (201) exceeds the maximum allowed (200"));
        assertNotNull(read("{\"data\":{\"n\":" + "7".repeat(SessionJsonMapper.MAX_NUMBER_LENGTH) + "}}"));
        assertTrue(refusal("{\"data\":{\"n\":" + "7".repeat(SessionJsonMapper.MAX_NUMBER_LENGTH + 1) + "}}")
                .contains("Number value length (1001) exceeds the maximum allowed (1000"));
    }

    @Test
    void aDecimalWithAnExponentBeyondTheLongestNumberIsRefusedWhenReadAsBigDecimal() {
        // 1e999999999 is 11 characters; as a BigDecimal, turning it into an integer or plain text would never end.
        JsonSessionSerializer decimals = new JsonSessionSerializer(JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build());
        byte[] tame = "{\"data\":{\"n\":1e-1000,\"m\":1e1000}}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new BigDecimal("1e1000"), decimals.deserialize(tame).attributes().get("m"));
        for (String exponent : List.of("1e1001", "1e999999999", "1.5e-1001")) {
            RuntimeException error = assertThrows(RuntimeException.class, () -> decimals.deserialize(
                    ("{\"data\":{\"list\":[{\"n\":" + exponent + "}]}}").getBytes(StandardCharsets.UTF_8)), exponent);
            assertEquals("not a SessionKit JSON session: a decimal number with an exponent beyond 1000", error.getMessage());
        }
    }

    @Test
    void readsAndWritesARecordOfExactlyTheLargestSize() {
        String start = "{\"version\":0,\"permanent\":false,\"data\":{\"blob\":\"";
        String end = "\"}}";
        String blob = "x".repeat(SessionJsonMapper.MAX_DOCUMENT_LENGTH - start.length() - end.length());
        byte[] written = json.serialize(new SessionRecord(Map.of("blob", blob), false));
        assertEquals(SessionJsonMapper.MAX_DOCUMENT_LENGTH, written.length);
        assertEquals(blob, json.deserialize(written).attributes().get("blob"));
    }

    @Test
    void aMalformedRecordIsRefusedNamingWhere() {
        assertEquals("not a SessionKit JSON session: malformed JSON (JsonParseException) at line 2, column 7",
                refusal("{\"data\":{\n\"pin\" 1234}}"));
    }

    @Test
    void refusesARecordLargerThanItWouldWrite() {
        byte[] record = new byte[SessionJsonMapper.MAX_DOCUMENT_LENGTH + 1];
        Arrays.fill(record, (byte) ' ');
        byte[] start = "{\"data\":{}}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, record, 0, start.length);
        RuntimeException error = assertThrows(RuntimeException.class, () -> json.deserialize(record));
        assertEquals("not a SessionKit JSON session: 16777217 bytes, more than the 16777216 the json format reads",
                error.getMessage());

        String big = "x".repeat(SessionJsonMapper.MAX_DOCUMENT_LENGTH);
        SessionValueException refused = assertThrows(SessionValueException.class,
                () -> json.serialize(new SessionRecord(Map.of("blob", big), false)));
        assertTrue(refused.getMessage().contains("more than the 16777216 bytes the json format reads back"),
                refused.getMessage());
    }

    @Test
    void ignoresUnknownTopLevelFieldsForForwardCompatibility() {
        SessionRecord record = json.deserialize("{\"v\":2,\"permanent\":true,\"extra\":{\"a\":[1]},\"data\":{\"k\":1}}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("k", 1), record.attributes());
    }

    @Test
    void aValueJacksonCannotWriteIsANamedError() {
        Map<String, Object> attributes = Map.of("thread", new Object() {
            public Object getSelf() {
                return this;
            }
        });
        assertThrows(SessionValueException.class, () -> json.serialize(new SessionRecord(attributes, false)));
    }

    record CartItem(String name, int quantity) {
    }

    @Test
    void aValueThatIsAlreadyOfTheTypeComesBackAsItIsNotAsACopy() {
        CartItem item = new CartItem("apple", 3);
        assertSame(item, json.convert(item, CartItem.class));
        String text = "ada";
        assertSame(text, json.convert(text, String.class));
        assertSame(text, json.convert(text, Object.class));
    }

    @Test
    void aContainerIsConvertedElementByElementEvenWhenItIsAlreadyAList() {
        List<Object> fromStore = new ArrayList<>(List.of(Map.of("name", "pear", "quantity", 1)));
        List<CartItem> items = json.convert(fromStore, new TypeReference<List<CartItem>>() { }.getType());
        assertEquals(List.of(new CartItem("pear", 1)), items);
        Map<String, CartItem> byName = json.convert(Map.of("p", Map.of("name", "pear", "quantity", 2)),
                new TypeReference<Map<String, CartItem>>() { }.getType());
        assertEquals(Map.of("p", new CartItem("pear", 2)), byName);
    }

    @Test
    void aMapReadBackBecomesTheRecordItWas() {
        Map<String, Object> attributes = Map.of("item", new CartItem("fig", 4));
        SessionRecord back = json.deserialize(json.serialize(new SessionRecord(attributes, false)));
        assertFalse(back.permanent());
        assertEquals(Map.of("name", "fig", "quantity", 4), back.attributes().get("item"));
        assertEquals(new CartItem("fig", 4), json.convert(back.attributes().get("item"), CartItem.class));
    }

    @Test
    void aValueThatCannotBeConvertedIsANamedError() {
        SessionValueException error = assertThrows(SessionValueException.class, () -> json.convert("many", Integer.class));
        assertTrue(error.getMessage().contains("java.lang.String cannot be read as java.lang.Integer"), error.getMessage());
    }

    @Test
    void theFormatIsJson() {
        assertEquals("json", json.format());
    }
}
