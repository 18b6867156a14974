package io.sessionkit.core;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sessionkit.SessionValueException;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
