package io.sessionkit.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.sessionkit.core.TypedValues.typed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON of a save read by attribute: the same bytes as a whole write, each slice read as the
 * whole read gives it, the envelope as read back, and the attributes a request never reaches
 * written again as the bytes they were.
 */
class JsonSlicesTest {

    private static final Instant CREATED = Instant.parse("2030-01-01T00:00:00.123456Z");
    /** Longer than the generator's buffer, so that it is written whole rather than copied into it. */
    private static final String LONG_TEXT = "x".repeat(20_000);

    private final JsonSessionSerializer json = new JsonSessionSerializer();

    private record Item(String sku, int quantity) {
    }

    private static Map<String, Object> everyKind() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("text", "caf\u00e9 \uD83D\uDE00 \u0001 \"quoted\" \\ a\uD800b");
        attributes.put("int", 7);
        attributes.put("long", 12_345_678_901L);
        attributes.put("smallLong", 5L);
        attributes.put("fraction", 0.1);
        attributes.put("negativeZero", -0.0);
        attributes.put("float", 1.1f);
        attributes.put("yes", true);
        attributes.put("none", null);
        attributes.put("emptyMap", Map.of());
        attributes.put("emptyList", List.of());
        attributes.put("sorted", new TreeMap<>(Map.of("b", 2, "a", List.of(1, "two", Map.of("k", false)))));
        attributes.put("cart", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("sku", "A-1", "quantity", 2)))));
        attributes.put("item", new Item("B-2", 3));
        attributes.put("bytes", new byte[] {1, 2, 3});
        attributes.put("long text", LONG_TEXT);
        return attributes;
    }

    private SessionRecord record(Map<String, Object> attributes) {
        return new SessionRecord(attributes, true, 41, CREATED, Duration.ofMillis(1_800_500), CREATED.plusSeconds(86_400));
    }

    @Test
    void aWriteBySlicesIsTheSameBytesAsAWholeWrite() {
        for (Map<String, Object> attributes : List.<Map<String, Object>>of(everyKind(), new LinkedHashMap<>(),
                new LinkedHashMap<>(Map.of("only", "one")))) {
            SessionRecord record = record(attributes);
            JsonSlices.Written sliced = json.serializeSliced(record);
            assertArrayEquals(json.serialize(record), sliced.bytes(), attributes.keySet().toString());
            assertNotNull(sliced.slices());
        }
    }

    @Test
    void eachSliceReadsAsTheWholeReadGivesIt() {
        JsonSlices.Written sliced = json.serializeSliced(record(everyKind()));
        SessionRecord whole = json.deserialize(sliced.bytes());

        SessionRecord bySlices = sliced.slices().over(sliced.bytes());

        assertEquals(new ArrayList<>(whole.attributes().keySet()), new ArrayList<>(bySlices.attributes().keySet()));
        for (String key : whole.attributes().keySet()) {
            assertEquals(typed(whole.attributes().get(key)), typed(bySlices.attributes().get(key)), key);
        }
        assertEquals(List.of(whole.permanent(), whole.version(), whole.created(), whole.maxInactive(),
                        whole.absoluteExpiry()),
                List.of(bySlices.permanent(), bySlices.version(), bySlices.created(), bySlices.maxInactive(),
                        bySlices.absoluteExpiry()));
        assertEquals(Instant.parse("2030-01-01T00:00:00.123Z"), bySlices.created(), "to the millisecond");
        assertEquals(Duration.ofSeconds(1_800), bySlices.maxInactive(), "to the second");
    }

    @Test
    void attributesNeverReachedAreWrittenAgainAsTheirBytes() {
        JsonSlices.Written first = json.serializeSliced(record(everyKind()));
        SessionRecord read = first.slices().over(first.bytes());
        AttributesCopiedOnRead attributes = (AttributesCopiedOnRead) read.attributes();
        @SuppressWarnings("unchecked")
        List<Object> cart = (List<Object>) attributes.get("cart");
        cart.add("mug");
        attributes.put("cart", cart);
        attributes.remove("item");
        attributes.put("added", List.of(1.5));

        SessionRecord next = new SessionRecord(attributes.forReading(), true, 42, CREATED, null, null);
        JsonSlices.Written second = json.serializeSliced(next);

        assertTrue(attributes.shares("long text"), "never parsed");
        assertTrue(attributes.shares("sorted"), "never parsed");
        Map<String, Object> expected = new LinkedHashMap<>(json.deserialize(first.bytes()).attributes());
        expected.put("cart", cart);
        expected.remove("item");
        expected.put("added", List.of(1.5));
        assertArrayEquals(json.serialize(new SessionRecord(expected, true, 42, CREATED, null, null)), second.bytes());
        SessionRecord readAgain = second.slices().over(second.bytes());
        assertEquals(LONG_TEXT, readAgain.attributes().get("long text"));
        assertEquals(typed(json.deserialize(second.bytes()).attributes()), typed(new LinkedHashMap<>(readAgain.attributes())));
    }

    @Test
    void aValueThatDoesNotFitWhatIsLeftOfTheWritersBufferIsWrittenWhole() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("first", "a".repeat(3_000));
        attributes.put("second", "b".repeat(6_000));
        JsonSlices.Written written = json.serializeSliced(record(attributes));
        SessionRecord read = written.slices().over(written.bytes());

        JsonSlices.Written again = json.serializeSliced(new SessionRecord(
                ((AttributesCopiedOnRead) read.attributes()).forReading(), true, 41, CREATED, Duration.ofMillis(1_800_500),
                CREATED.plusSeconds(86_400)));

        assertArrayEquals(written.bytes(), again.bytes(), "nothing reached: the same bytes");
    }

    @Test
    void anEnvelopeAReadRefusesHasNoSlices() {
        for (SessionRecord refused : List.of(
                new SessionRecord(Map.of(), true, Long.MAX_VALUE, CREATED, null, null),
                new SessionRecord(Map.of(), true, 1, Instant.ofEpochMilli(-1), null, null),
                new SessionRecord(Map.of(), true, 1, Instant.parse("+10000-01-01T00:00:00Z"), null, null),
                new SessionRecord(Map.of(), true, 1, CREATED, Duration.ofMillis(999), null),
                new SessionRecord(Map.of(), true, 1, CREATED, null, Instant.ofEpochMilli(-1)),
                new SessionRecord(Map.of(), true, 1, CREATED, null, Instant.parse("+10000-01-01T00:00:00Z")))) {
            JsonSlices.Written sliced = json.serializeSliced(refused);
            assertThrows(IllegalArgumentException.class, () -> json.deserialize(sliced.bytes()), "a read refuses " + refused);
            assertNull(sliced.slices(), refused.toString());
        }
        JsonSlices.Written edges = json.serializeSliced(new SessionRecord(Map.of(), false, Long.MAX_VALUE - 1,
                Instant.EPOCH, Duration.ofSeconds(1), Instant.parse("9999-12-31T23:59:59.999Z")));
        assertNotNull(edges.slices(), "the bounds a read takes");
        SessionRecord read = edges.slices().over(edges.bytes());
        assertEquals(List.of(false, Long.MAX_VALUE - 1, Instant.EPOCH, Duration.ofSeconds(1)),
                List.of(read.permanent(), read.version(), read.created(), read.maxInactive()));
    }

    @Test
    void slicesThatDoNotFollowANamesSeparatorAreRefused() {
        JsonSlices.Builder builder = new JsonSlices.Builder();
        builder.add("k", 5, 6);
        SessionRecord envelope = new SessionRecord(Map.of(), true);
        assertNull(builder.build(json, "{\"k\" 1}".getBytes(StandardCharsets.UTF_8), envelope));
        assertNotNull(builder.build(json, "{\"k\":1}".getBytes(StandardCharsets.UTF_8), envelope));
        assertNull(builder.build(json, "{\"k\":1}".getBytes(StandardCharsets.UTF_8), null), "no envelope");
    }

    @Test
    void aSliceIsWrittenAsItsBytesByAnyGenerator() throws Exception {
        JsonSlices.Written written = json.serializeSliced(record(new LinkedHashMap<>(Map.of("cart", List.of("mug", 2)))));
        AttributesCopiedOnRead attributes = (AttributesCopiedOnRead) written.slices().over(written.bytes()).attributes();
        Object slice = attributes.forReading().entrySet().iterator().next().getValue();
        ObjectMapper mapper = new ObjectMapper();

        assertEquals("[[\"mug\",2]]", mapper.writeValueAsString(List.of(slice)), "as text");
        assertEquals("[[\"mug\",2]]", new String(mapper.writeValueAsBytes(List.of(slice)), StandardCharsets.UTF_8),
                "as UTF-8");
        StringWriter typed = new StringWriter();
        try (JsonGenerator generator = mapper.createGenerator(typed)) {
            ((JsonSlice) slice).serializeWithType(generator, mapper.getSerializerProvider(), null);
        }
        assertEquals("[\"mug\",2]", typed.toString(), "with a type, which session values never have, as without");
    }

    @Test
    void onlyTheStandardMapperWritesSlicesForTheNearCache() {
        assertTrue(json.hasStandardMapper());
        assertFalse(new JsonSessionSerializer(new ObjectMapper()).hasStandardMapper());
    }
}
