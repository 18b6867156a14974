package io.sessionkit.serialization.binary;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.SessionValueException;
import io.sessionkit.core.JacksonSessionSerializer;
import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the smile and cbor formats promise: they hold what json holds and read as strictly. Each
 * format's test extends this class; hostile records are written with the format's own Jackson
 * generator, so that they are exactly what an attacker with access to the store could write.
 */
abstract class BinaryFormatContract {

    /** 16 MiB, the most any format reads or writes. */
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    abstract JacksonSessionSerializer serializer();

    /** @return a factory of the format without SessionKit's limits, to write records SessionKit would refuse to */
    abstract JsonFactory unlimitedFactory();

    /** @return how refusals of this format begin */
    abstract String refusalPrefix();

    @FunctionalInterface
    interface Writing {
        void write(JsonGenerator generator) throws IOException;
    }

    /** @return the bytes the format's plain generator writes */
    byte[] raw(Writing writing) {
        JsonFactory factory = unlimitedFactory();
        factory.setStreamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(10_000).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = factory.createGenerator(out)) {
            writing.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    String refusal(byte[] record) {
        RuntimeException error = assertThrows(RuntimeException.class, () -> serializer().deserialize(record));
        assertTrue(error.getMessage().startsWith(refusalPrefix()), error.getMessage());
        return error.getMessage();
    }

    record CartItem(String name, int quantity) {
    }

    enum Colour { RED }

    /** What an application puts, and the type it reads it back as. */
    private record Value(Object put, Type type) {
    }

    private static Map<String, Value> everyKind() {
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("string", new Value("Zoë 🍵", String.class));
        values.put("empty string", new Value("", String.class));
        values.put("int", new Value(42, Integer.class));
        values.put("negative int", new Value(-7, Integer.class));
        values.put("long", new Value(Long.MAX_VALUE, Long.class));
        values.put("big integer", new Value(new BigInteger("123456789012345678901234567890"), BigInteger.class));
        values.put("short", new Value((short) 3, Short.class));
        values.put("double", new Value(2.25, Double.class));
        values.put("float", new Value(1.5f, Float.class));
        values.put("big decimal", new Value(new BigDecimal("19.99"), BigDecimal.class));
        values.put("true", new Value(true, Boolean.class));
        values.put("false", new Value(false, Boolean.class));
        values.put("null", new Value(null, Object.class));
        values.put("char", new Value('x', Character.class));
        values.put("enum", new Value(Colour.RED, Colour.class));
        values.put("bytes", new Value(new byte[] {0, 1, 2, (byte) 0xFF}, byte[].class));
        values.put("date", new Value(new Date(1_764_806_400_123L), Date.class));
        values.put("record", new Value(new CartItem("fig", 4), CartItem.class));
        values.put("list of records", new Value(List.of(new CartItem("fig", 4), new CartItem("pear", 1)),
                new TypeReference<List<CartItem>>() { }.getType()));
        values.put("empty list", new Value(List.of(), List.class));
        values.put("empty map", new Value(Map.of(), Map.class));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("roles", List.of("admin", "user"));
        nested.put("address", Map.of("city", "Basel", "zip", 4051));
        nested.put("scores", List.of(1, 2.5, List.of(true, "x")));
        values.put("nested", new Value(nested, Map.class));
        return values;
    }

    @Test
    @DisplayName("every kind of value json holds reads back, typed, as the value put")
    void everyKindOfValueReadsBackTyped() {
        Map<String, Value> values = everyKind();
        Map<String, Object> attributes = new LinkedHashMap<>();
        values.forEach((key, value) -> attributes.put(key, value.put()));
        SessionRecord back = serializer().deserialize(serializer().serialize(new SessionRecord(attributes, true)));
        assertEquals(new ArrayList<>(values.keySet()), new ArrayList<>(back.attributes().keySet()), "all keys, in order");
        JsonSessionSerializer json = new JsonSessionSerializer();
        SessionRecord viaJson = json.deserialize(json.serialize(new SessionRecord(attributes, true)));
        values.forEach((key, value) -> {
            Object stored = back.attributes().get(key);
            if (value.put() == null) {
                assertNull(stored, key);
                return;
            }
            Object typed = serializer().convert(stored, value.type());
            if (value.put() instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) typed, key);
            } else {
                assertEquals(value.put(), typed, key);
            }
            Object typedViaJson = json.convert(viaJson.attributes().get(key), value.type());
            if (!(value.put() instanceof byte[])) {
                assertEquals(typedViaJson, typed, key + ": the same typed value as json gives");
            }
        });
    }

    @Test
    @DisplayName("untyped values are json's, except what json turns into text or doubles")
    void untypedValuesAreJsonsExceptWhatJsonTurnsIntoTextOrDoubles() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("nested", everyKind().get("nested").put());
        attributes.put("record", new CartItem("fig", 4));
        attributes.put("long", 5L);
        attributes.put("date", new Date(0));
        attributes.put("float", 1.5f);
        attributes.put("decimal", new BigDecimal("1.10"));
        attributes.put("bytes", new byte[] {1, 2, 3});
        attributes.put("nan", Double.NaN);
        attributes.put("infinity", Double.NEGATIVE_INFINITY);
        SessionRecord back = serializer().deserialize(serializer().serialize(new SessionRecord(attributes, false)));
        Map<String, Object> read = back.attributes();
        assertEquals(everyKind().get("nested").put(), read.get("nested"));
        assertEquals(Map.of("name", "fig", "quantity", 4), read.get("record"));
        assertEquals(5, read.get("long"), "a small long reads as an int, as in json");
        assertEquals("1970-01-01T00:00:00.000+00:00", read.get("date"));
        assertEquals(1.5f, read.get("float"));
        assertEquals(new BigDecimal("1.10"), read.get("decimal"), "scale kept");
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) read.get("bytes"));
        assertEquals(Double.NaN, read.get("nan"));
        assertEquals(Double.NEGATIVE_INFINITY, read.get("infinity"));
        read.put("mutable", true);
    }

    @Test
    @DisplayName("the envelope's fields round trip, and unset ones stay unset")
    void theEnvelopeRoundTrips() {
        SessionRecord full = new SessionRecord(Map.of("user", "ada"), true, 3, Instant.ofEpochMilli(1764806400123L),
                Duration.ofMinutes(30), Instant.ofEpochMilli(1764892800000L));
        assertEquals(full, serializer().deserialize(serializer().serialize(full)));
        SessionRecord bare = new SessionRecord(Map.of(), false, 0, null, null, null);
        assertEquals(bare, serializer().deserialize(serializer().serialize(bare)));
    }

    @Test
    @DisplayName("a record cut short anywhere is refused")
    void aTruncatedRecordIsRefused() {
        byte[] whole = serializer().serialize(new SessionRecord(Map.of("user", "ada", "cart", List.of(1, 2)), true, 2,
                Instant.ofEpochMilli(1764806400123L), Duration.ofMinutes(30), null));
        for (int length = 0; length < whole.length; length++) {
            refusal(Arrays.copyOf(whole, length));
        }
    }

    @Test
    @DisplayName("bytes after the record are refused: a second record, a stray byte")
    void bytesAfterTheRecordAreRefused() {
        byte[] one = serializer().serialize(new SessionRecord(Map.of("user", "ada"), true));
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        refusal(two);
        byte[] stray = Arrays.copyOf(one, one.length + 1);
        stray[one.length] = 0x01;
        refusal(stray);
    }

    @Test
    @DisplayName("an envelope field given twice is refused, \"data\" included")
    void aFieldGivenTwiceIsRefused() {
        for (String field : List.of("permanent", "version", "created", "maxInactive", "absoluteExpiry")) {
            byte[] record = raw(generator -> {
                generator.writeStartObject();
                for (int i = 0; i < 2; i++) {
                    if (field.equals("permanent")) {
                        generator.writeBooleanField(field, i == 0);
                    } else {
                        generator.writeNumberField(field, 60 + i);
                    }
                }
                generator.writeObjectFieldStart("data");
                generator.writeEndObject();
                generator.writeEndObject();
            });
            assertEquals(refusalPrefix() + "\"" + field + "\" appears twice", refusal(record));
        }
        byte[] twoData = raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeEndObject();
            generator.writeObjectFieldStart("data");
            generator.writeStringField("role", "admin");
            generator.writeEndObject();
            generator.writeEndObject();
        });
        assertEquals(refusalPrefix() + "\"data\" appears twice", refusal(twoData));
    }

    @Test
    @DisplayName("envelope fields of another type are refused, not coerced")
    void envelopeFieldsOfAnotherTypeAreRefused() {
        assertTrue(refusal(raw(generator -> {
            generator.writeStartObject();
            generator.writeNumberField("permanent", 1);
            generator.writeObjectFieldStart("data");
            generator.writeEndObject();
            generator.writeEndObject();
        })).endsWith("\"permanent\" is VALUE_NUMBER_INT, not true or false"));
        assertTrue(refusal(raw(generator -> {
            generator.writeStartObject();
            generator.writeStringField("version", "3");
            generator.writeObjectFieldStart("data");
            generator.writeEndObject();
            generator.writeEndObject();
        })).endsWith("\"version\" is VALUE_STRING, not a whole number"));
        assertTrue(refusal(raw(generator -> {
            generator.writeStartObject();
            generator.writeNumberField("created", 1.5);
            generator.writeArrayFieldStart("data");
            generator.writeEndArray();
            generator.writeEndObject();
        })).endsWith("\"created\" is VALUE_NUMBER_FLOAT, not a whole number"));
        assertTrue(refusal(raw(generator -> {
            generator.writeStartObject();
            generator.writeArrayFieldStart("data");
            generator.writeEndArray();
            generator.writeEndObject();
        })).endsWith("expected START_OBJECT but found START_ARRAY"));
    }

    private byte[] nested(int depth) {
        return raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeFieldName("a");
            for (int i = 0; i < depth; i++) {
                generator.writeStartArray();
            }
            for (int i = 0; i < depth; i++) {
                generator.writeEndArray();
            }
            generator.writeEndObject();
            generator.writeEndObject();
        });
    }

    @Test
    @DisplayName("nesting deeper than 200, the envelope included, is refused when read and when written")
    void tooDeepIsRefused() {
        assertNotNull(serializer().deserialize(nested(198)));
        assertTrue(refusal(nested(199)).contains("nesting depth (201) exceeds the maximum allowed (200"));
        List<Object> deep = new ArrayList<>();
        List<Object> innermost = deep;
        for (int i = 1; i < 199; i++) {
            List<Object> inner = new ArrayList<>();
            innermost.add(inner);
            innermost = inner;
        }
        SessionRecord tooDeep = new SessionRecord(Map.of("a", deep), false);
        SessionValueException error = assertThrows(SessionValueException.class, () -> serializer().serialize(tooDeep));
        assertTrue(error.getMessage().contains("nesting depth (201) exceeds the maximum allowed (200"), error.getMessage());
    }

    @Test
    @DisplayName("a record over 16 MiB is refused before it is parsed, and no session that big is written")
    void tooBigIsRefused() {
        byte[] record = new byte[MAX_RECORD_BYTES + 1];
        byte[] start = serializer().serialize(new SessionRecord(Map.of(), false));
        System.arraycopy(start, 0, record, 0, start.length);
        assertEquals(refusalPrefix() + "16777217 bytes, more than the 16777216 the " + serializer().format()
                + " format reads", refusal(record));

        String big = "x".repeat(MAX_RECORD_BYTES);
        SessionValueException refused = assertThrows(SessionValueException.class,
                () -> serializer().serialize(new SessionRecord(Map.of("blob", big), false)));
        assertTrue(refused.getMessage().contains("more than the 16777216 bytes the " + serializer().format()
                + " format reads back"), refused.getMessage());
    }

    @Test
    @DisplayName("numbers longer than 1000 digits and decimal exponents beyond 1000 are refused")
    void oversizedNumbersAreRefused() {
        BigInteger longest = new BigInteger("9".repeat(1000));
        assertEquals(longest, serializer().deserialize(raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeNumberField("n", longest);
            generator.writeEndObject();
            generator.writeEndObject();
        })).attributes().get("n"));
        assertTrue(refusal(raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeNumberField("n", new BigInteger("7".repeat(5000)));
            generator.writeEndObject();
            generator.writeEndObject();
        })).contains("Number value length"));
        // A few bytes that BigInteger or toPlainString would expand into a billion digits.
        assertEquals(refusalPrefix() + "a decimal number with an exponent beyond 1000", refusal(raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeArrayFieldStart("prices");
            generator.writeNumber(new BigDecimal(BigInteger.ONE, -1_000_000_000));
            generator.writeEndArray();
            generator.writeEndObject();
            generator.writeEndObject();
        })));
    }

    @Test
    @DisplayName("a whole number encoded longer than it needs reads as json would type it, so saving it unchanged keeps it")
    void wholeNumbersReadInTheirSmallestType() {
        SessionRecord record = serializer().deserialize(raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeNumberField("small", BigInteger.valueOf(-2));
            generator.writeNumberField("long", BigInteger.valueOf(Long.MAX_VALUE));
            generator.writeArrayFieldStart("list");
            generator.writeNumber(BigInteger.valueOf(33));
            generator.writeEndArray();
            generator.writeEndObject();
            generator.writeEndObject();
        }));
        Map<String, Object> expected = Map.of("small", -2, "long", Long.MAX_VALUE, "list", List.of(33));
        assertEquals(expected, record.attributes());
        assertEquals(expected, serializer().deserialize(serializer().serialize(record)).attributes());
    }

    @Test
    @DisplayName("a json record, and a record of the other binary format, are refused without quoting them")
    void anotherFormatsRecordIsRefused() {
        byte[] json = "{\"permanent\":true,\"data\":{\"pin\":\"hunter2\"}}".getBytes(StandardCharsets.UTF_8);
        String message = refusal(json);
        assertFalse(message.contains("hunter2"), message);
        JacksonSessionSerializer other = serializer() instanceof SmileSessionSerializer
                ? new CborSessionSerializer() : new SmileSessionSerializer();
        message = refusal(other.serialize(new SessionRecord(Map.of("pin", "hunter2"), true)));
        assertFalse(message.contains("hunter2"), message);
        RuntimeException byJson = assertThrows(RuntimeException.class, () -> new JsonSessionSerializer()
                .deserialize(serializer().serialize(new SessionRecord(Map.of("pin", "hunter2"), true))));
        assertTrue(byJson.getMessage().startsWith("not a SessionKit JSON session"), byJson.getMessage());
        assertFalse(byJson.getMessage().contains("hunter2"), byJson.getMessage());
    }

    @Test
    @DisplayName("no class named in the data is instantiated")
    void neverInstantiatesClassesNamedByTheData() {
        SessionRecord record = serializer().deserialize(raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeArrayFieldStart("x");
            generator.writeString("java.net.URL");
            generator.writeString("http://127.0.0.1/");
            generator.writeEndArray();
            generator.writeObjectFieldStart("y");
            generator.writeStringField("@class", "java.io.File");
            generator.writeStringField("path", "/etc/passwd");
            generator.writeEndObject();
            generator.writeEndObject();
            generator.writeEndObject();
        }));
        assertEquals(List.of("java.net.URL", "http://127.0.0.1/"), record.attributes().get("x"));
        assertEquals(Map.of("@class", "java.io.File", "path", "/etc/passwd"), record.attributes().get("y"));
    }

    @Test
    @DisplayName("unknown top-level fields are skipped, for records of later releases")
    void unknownTopLevelFieldsAreSkipped() {
        SessionRecord record = serializer().deserialize(raw(generator -> {
            generator.writeStartObject();
            generator.writeObjectFieldStart("extra");
            generator.writeArrayFieldStart("a");
            generator.writeNumber(1);
            generator.writeEndArray();
            generator.writeEndObject();
            generator.writeBooleanField("permanent", true);
            generator.writeObjectFieldStart("data");
            generator.writeNumberField("k", 1);
            generator.writeEndObject();
            generator.writeEndObject();
        }));
        assertEquals(new SessionRecord(Map.of("k", 1), true, 0, null, null, null), record);
    }

    @Test
    @DisplayName("an application's mapper is used with its modules, and refused with default typing")
    void anApplicationsMapper() {
        assertEquals(serializer().format(), serializer().format().toLowerCase(java.util.Locale.ROOT));
        ObjectMapper typed = new ObjectMapper().activateDefaultTyping(
                com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator.instance);
        io.sessionkit.SessionConfigException error = assertThrows(io.sessionkit.SessionConfigException.class,
                () -> withMapper(typed));
        assertTrue(error.getMessage().contains("it has default typing enabled"), error.getMessage());

        com.fasterxml.jackson.databind.module.SimpleModule module = new com.fasterxml.jackson.databind.module.SimpleModule()
                .addSerializer(CartItem.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(CartItem.class) {
                    @Override
                    public void serialize(CartItem value, JsonGenerator generator,
                                          com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
                        generator.writeString(value.quantity() + "x" + value.name());
                    }
                });
        ObjectMapper jsonMapper = new ObjectMapper().registerModule(module);
        JacksonSessionSerializer custom = withMapper(jsonMapper);
        byte[] written = custom.serialize(new SessionRecord(Map.of("item", new CartItem("fig", 4)), false));
        assertEquals("4xfig", serializer().deserialize(written).attributes().get("item"), "the module wrote it, in this format");
        assertEquals("JSON", jsonMapper.getFactory().getFormatName(), "the application's mapper is untouched");
    }

    abstract JacksonSessionSerializer withMapper(ObjectMapper mapper);
}
