package io.sessionkit.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sessionkit.SessionValueException;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code json} format, in UTF-8, written and read with Jackson:
 * <pre>{@code
 * {"version":3,"created":1764806400000,"maxInactive":1800,"absoluteExpiry":1764892800000,
 *  "permanent":true,"data":{...attributes...}}
 * }</pre>
 * {@code created} and {@code absoluteExpiry} are epoch milliseconds, {@code maxInactive}
 * seconds; the optional ones are left out when unset. A record written before records carried
 * a version ({@code {"permanent":true,"data":{...}}}) reads as version 0 without times. No default typing: values come back as maps, lists,
 * strings, numbers and booleans, and no class named in the data is ever instantiated. Typed
 * reads convert with the same mapper, so a record put into the session reads back as that
 * record. Thread-safe.
 */
public final class JsonSessionSerializer implements SessionSerializer {

    private static final TypeReference<LinkedHashMap<String, Object>> ATTRIBUTES = new TypeReference<>() { };

    private final ObjectMapper mapper;
    private final ObjectReader attributesReader;

    /** Creates the serializer with SessionKit's mapper settings. */
    public JsonSessionSerializer() {
        this(new ObjectMapper()
                .findAndRegisterModules()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    /**
     * Creates the serializer on an application's own mapper, for custom modules. The mapper
     * must not enable default typing.
     *
     * @param mapper the mapper; not modified
     */
    public JsonSessionSerializer(ObjectMapper mapper) {
        this.mapper = mapper;
        this.attributesReader = mapper.readerFor(ATTRIBUTES);
    }

    @Override
    public String format() {
        return "json";
    }

    @Override
    public byte[] serialize(SessionRecord record) {
        // Written into Jackson's recycled buffer, as ObjectMapper.writeValueAsBytes does: a
        // ByteArrayOutputStream grew by copying and then copied everything once more, on every save.
        BufferRecycler recycler = mapper.getFactory()._getBufferRecycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator generator = mapper.createGenerator(out)) {
                generator.writeStartObject();
                generator.writeNumberField("version", record.version());
                if (record.created() != null) {
                    generator.writeNumberField("created", record.created().toEpochMilli());
                }
                if (record.maxInactive() != null) {
                    generator.writeNumberField("maxInactive", record.maxInactive().toSeconds());
                }
                if (record.absoluteExpiry() != null) {
                    generator.writeNumberField("absoluteExpiry", record.absoluteExpiry().toEpochMilli());
                }
                generator.writeBooleanField("permanent", record.permanent());
                generator.writeFieldName("data");
                mapper.writeValue(generator, record.attributes());
                generator.writeEndObject();
            }
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new SessionValueException("session cannot be written as JSON: " + e.getMessage()
                    + "; keep to values Jackson can write (strings, numbers, booleans, lists, maps, records, beans)", e);
        } finally {
            recycler.releaseToPool();
        }
    }

    @Override
    public SessionRecord deserialize(byte[] data) {
        boolean permanent = false;
        long version = 0;
        Instant created = null;
        Duration maxInactive = null;
        Instant absoluteExpiry = null;
        Map<String, Object> attributes = null;
        try (JsonParser parser = mapper.createParser(data)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "permanent" -> permanent = value == JsonToken.VALUE_TRUE;
                    case "version" -> version = wholeNumber(parser, value, field);
                    case "created" -> created = Instant.ofEpochMilli(wholeNumber(parser, value, field));
                    case "maxInactive" -> maxInactive = Duration.ofSeconds(wholeNumber(parser, value, field));
                    case "absoluteExpiry" -> absoluteExpiry = Instant.ofEpochMilli(wholeNumber(parser, value, field));
                    case "data" -> {
                        expect(value, JsonToken.START_OBJECT);
                        attributes = attributesReader.readValue(parser);
                    }
                    default -> parser.skipChildren();
                }
            }
            expect(parser.currentToken(), JsonToken.END_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("not a SessionKit JSON session: " + e.getMessage(), e);
        }
        if (attributes == null) {
            throw new IllegalArgumentException("not a SessionKit JSON session: no \"data\" object");
        }
        try {
            return new SessionRecord(attributes, permanent, version, created, maxInactive, absoluteExpiry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a SessionKit JSON session: " + e.getMessage(), e);
        }
    }

    private static long wholeNumber(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("not a SessionKit JSON session: \"" + field + "\" is " + value
                    + ", not a whole number");
        }
        return parser.getLongValue();
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("not a SessionKit JSON session: expected " + expected + " but found " + actual);
        }
    }

    @Override
    public <T> T convert(Object value, Type type) {
        JavaType javaType = mapper.constructType(type);
        if (javaType.getRawClass().isInstance(value) && !javaType.isContainerType()) {
            @SuppressWarnings("unchecked")
            T same = (T) value;
            return same;
        }
        try {
            return mapper.convertValue(value, javaType);
        } catch (IllegalArgumentException e) {
            throw new SessionValueException("session value of type " + value.getClass().getName()
                    + " cannot be read as " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }
}
