package io.sessionkit.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.sessionkit.SessionValueException;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A session record written and read with Jackson in one of its data formats: JSON here
 * ({@link JsonSessionSerializer}), or a binary one such as Smile or CBOR given by its
 * {@link JsonFactory}. Every format holds the same record, an object of the envelope fields and
 * the attributes:
 * <pre>{@code
 * {"version":3,"created":1764806400000,"maxInactive":1800,"absoluteExpiry":1764892800000,
 *  "permanent":true,"data":{...attributes...}}
 * }</pre>
 * {@code created} and {@code absoluteExpiry} are epoch milliseconds, {@code maxInactive}
 * seconds; the optional ones are left out when unset. A record written before records carried
 * a version ({@code {"permanent":true,"data":{...}}}) reads as version 0 without times. No
 * default typing: values come back as maps, lists, strings, numbers and booleans (and, in a
 * binary format, byte arrays), and no class named in the data is ever instantiated. Typed reads
 * convert with the same mapper, so a record put into the session reads back as that record.
 * Thread-safe.
 *
 * <p>Stored records are untrusted input, read strictly: each envelope field at most once and of
 * its own type (no coercion: {@code "permanent":"yes"} is refused), nothing after the record, at
 * most 16 MiB, nesting at most 200 deep, numbers at most 1000 characters (or their binary
 * equivalent) with a decimal exponent of at most 1000, and, in JSON, within a double's range. A record that
 * breaks a rule is not a session ({@link #deserialize} throws, and the engine starts a fresh
 * one); a session that would break one is refused when written. Error messages name the rule and
 * where in the record it was broken, never the data.
 *
 * <p>Each format reads only what it writes: bytes of another format are refused like any other
 * record that breaks the rules. Untyped reads give what the format holds: JSON gives every
 * fraction as a {@code Double}, a {@code byte[]} as its base64 text and NaN as the text
 * {@code "NaN"}, where a binary format gives back the {@code Float}, the {@code BigDecimal} with
 * its scale, the bytes and the NaN; typed reads ({@link #convert}) give the same value in both.
 */
public abstract class JacksonSessionSerializer implements SessionSerializer {

    private static final TypeReference<LinkedHashMap<String, Object>> ATTRIBUTES = new TypeReference<>() { };

    private final String format;
    /** Jackson's name of the format ("JSON", "Smile", "CBOR"), for messages. */
    private final String formatName;
    private final ObjectMapper mapper;
    private final ObjectReader attributesReader;
    private final ObjectReader valueReader;
    /** Whether infinite numbers are refused: text cannot hold one (see {@link #checkNumbers}). */
    private final boolean finiteNumbersOnly;
    /** Whether strings are checked for lone surrogates (see {@link #requireUnicode}). */
    private final boolean checksText;
    /** Whether whole numbers read in a longer form than they need are given their smallest type. */
    private final boolean smallestWholeNumbers;

    /**
     * Creates the serializer with SessionKit's mapper on the format's factory: no modules, no
     * default typing.
     *
     * @param format  the value of {@code SESSION_SERIALIZATION_FORMAT} that selects it
     * @param factory a new factory of the format, used by this serializer only: the limits
     *                above are set on it
     * @throws NullPointerException when an argument is {@code null}
     */
    protected JacksonSessionSerializer(String format, JsonFactory factory) {
        this(format, SessionJsonMapper.standard(Objects.requireNonNull(factory, "factory")));
    }

    /**
     * Creates the serializer on a copy of an application's own mapper that writes and reads
     * the format of {@code factory}, for custom modules (registered on the mapper explicitly).
     *
     * @param format  the value of {@code SESSION_SERIALIZATION_FORMAT} that selects it
     * @param factory a new factory of the format, used by this serializer only: the limits
     *                above are set on it
     * @param mapper  the application's mapper; not modified
     * @throws NullPointerException                 when an argument is {@code null}
     * @throws io.sessionkit.SessionConfigException when the mapper has default typing enabled, or
     *                                              a mix-in for {@code Object}: the data could then
     *                                              name classes to instantiate
     */
    protected JacksonSessionSerializer(String format, JsonFactory factory, ObjectMapper mapper) {
        this(format, SessionJsonMapper.from(Objects.requireNonNull(mapper, "mapper"),
                Objects.requireNonNull(factory, "factory")));
    }

    JacksonSessionSerializer(String format, ObjectMapper limitedMapper) {
        this.format = Objects.requireNonNull(format, "format");
        this.mapper = limitedMapper;
        // Jackson names no format for a subclass of JsonFactory (an application's own factory).
        String jacksonName = limitedMapper.getFactory().getFormatName();
        this.formatName = jacksonName != null ? jacksonName : this.format.toUpperCase(Locale.ROOT);
        this.attributesReader = limitedMapper.readerFor(ATTRIBUTES);
        this.valueReader = limitedMapper.readerFor(Object.class);
        this.finiteNumbersOnly = !limitedMapper.getFactory().canHandleBinaryNatively();
        // JSON's parser refuses what is not UTF-8, and already types a whole number by its value.
        this.checksText = !finiteNumbersOnly;
        this.smallestWholeNumbers = !finiteNumbersOnly
                && !limitedMapper.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
                && !limitedMapper.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    }

    @Override
    public final String format() {
        return format;
    }

    @Override
    public byte[] serialize(SessionRecord record) {
        return write(record, null);
    }

    /**
     * Serializes the record as {@link #serialize} does, noting where each attribute's value lies
     * in the result, for the near cache ({@link JsonSlices}). The values of attributes that are
     * still {@link JsonSlice}s are written as their bytes.
     *
     * @return the bytes and their slices; the slices {@code null} when a read would refuse the
     *         envelope, so that such a record is parsed whole, as a read of the store parses it
     */
    JsonSlices.Written serializeSliced(SessionRecord record) {
        JsonSlices.Builder slices = new JsonSlices.Builder();
        byte[] bytes = write(record, slices);
        return new JsonSlices.Written(bytes, slices.build(this, bytes, envelopeAsRead(record)));
    }

    /**
     * @param start where the value begins in {@code data}, as a {@link JsonSlices} says
     * @return one attribute's value, parsed and checked as {@link #deserialize} parses it in
     *         JSON, the one format written by slices
     */
    Object readAttribute(byte[] data, int start, int end) {
        try (JsonParser parser = mapper.createParser(data, start, end - start)) {
            return checkNumbers(valueReader.readValue(parser));
        } catch (IOException e) {
            throw new UncheckedIOException(notASession() + "an attribute's bytes do not read as a value", e);
        }
    }

    /** @param slices where to note each attribute's bytes, or {@code null} */
    private byte[] write(SessionRecord record, JsonSlices.Builder slices) {
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
                if (slices == null) {
                    mapper.writeValue(generator, record.attributes());
                } else {
                    writeSliced(record.attributes(), generator, out, slices);
                }
                generator.writeEndObject();
            }
            byte[] bytes = out.getClearAndRelease();
            if (bytes.length > SessionJsonMapper.MAX_DOCUMENT_LENGTH) {
                throw new SessionValueException("session is " + bytes.length + " bytes as " + formatName + ", more than the "
                        + SessionJsonMapper.MAX_DOCUMENT_LENGTH + " bytes the " + format + " format reads back; keep it smaller", null);
            }
            return bytes;
        } catch (IOException e) {
            throw new SessionValueException("session cannot be written as " + formatName + ": " + e.getMessage()
                    + "; keep to values Jackson can write (strings, numbers, booleans, lists, maps, records, beans)", e);
        } finally {
            recycler.releaseToPool();
        }
    }

    /** Writes the attributes one by one, as the mapper writes the map, noting where each value lies. */
    private void writeSliced(Map<String, Object> attributes, JsonGenerator generator, ByteArrayBuilder out,
                             JsonSlices.Builder slices) throws IOException {
        // One provider for all values, as the mapper's map serializer uses one.
        SerializerProvider provider = mapper.getSerializerProviderInstance();
        generator.writeStartObject();
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            generator.writeFieldName(entry.getKey());
            // The name's separator is written with the value: the value begins one byte after it.
            int start = out.size() + generator.getOutputBuffered() + 1;
            provider.defaultSerializeValue(entry.getValue(), generator);
            slices.add(entry.getKey(), start, out.size() + generator.getOutputBuffered());
        }
        generator.writeEndObject();
    }

    @Override
    public SessionRecord deserialize(byte[] data) {
        return read(data, false);
    }

    /**
     * Reads the record as {@link #deserialize} does, refusing exactly what it refuses, but checks
     * each attribute's value without building it: the attributes are {@link JsonSlice}s of
     * {@code data}, parsed when the request first reaches them, and written into the next save as
     * the bytes they are. A request that uses one attribute of a large session builds that one
     * alone. JSON only, the one format written by slices.
     *
     * @return the record, its attributes the request's own to change
     */
    SessionRecord deserializeSliced(byte[] data) {
        return read(data, true);
    }

    /** @param sliced whether the attributes are read as slices of {@code data} */
    private SessionRecord read(byte[] data, boolean sliced) {
        if (data.length > SessionJsonMapper.MAX_DOCUMENT_LENGTH) {
            // Refused before parsing: Jackson checks a byte array's length only as it reads it.
            throw refused(data.length + " bytes, more than the " + SessionJsonMapper.MAX_DOCUMENT_LENGTH + " the " + format
                    + " format reads");
        }
        try (JsonParser parser = mapper.createParser(data)) {
            Envelope envelope = new Envelope(sliced && bytesAreOffsets(parser, data) ? data : null);
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                envelope.read(parser.currentName(), parser.nextToken(), parser);
            }
            expect(parser.currentToken(), JsonToken.END_OBJECT);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw refused(trailing + " after the record's end");
            }
            // Smile reads a second header as the start of a new document, and ends there.
            long end = parser.currentLocation().getByteOffset();
            if (end >= 0 && end < data.length) {
                throw refused((data.length - end) + " bytes after the record's end");
            }
            return envelope.record();
        } catch (StreamConstraintsException e) {
            throw new UncheckedIOException(notASession() + e.getOriginalMessage() + locationOf(e), e);
        } catch (JsonProcessingException e) {
            // Not Jackson's message: it quotes the offending token, which is session data.
            throw new UncheckedIOException(notASession() + "malformed " + formatName + " (" + e.getClass().getSimpleName()
                    + ")" + locationOf(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(notASession() + e.getClass().getName(), e);
        }
    }

    /**
     * Whether the parser's offsets are indices into {@code data}, as slices need: UTF-8 from the
     * first byte on. The parser also reads UTF-16 and UTF-32, and skips a byte-order mark; such
     * records, which SessionKit never writes, are read whole.
     */
    private static boolean bytesAreOffsets(JsonParser parser, byte[] data) {
        return parser instanceof UTF8StreamJsonParser && data.length > 0 && data[0] == '{';
    }

    private static String locationOf(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null) {
            return "";
        }
        // A binary format has no lines: its parsers report the byte offset only.
        if (location.getLineNr() > 0) {
            return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        }
        return location.getByteOffset() >= 0 ? " at byte " + location.getByteOffset() : "";
    }

    private String notASession() {
        return "not a SessionKit " + formatName + " session: ";
    }

    private IllegalArgumentException refused(String why) {
        return new IllegalArgumentException(notASession() + why);
    }

    /** 9999-12-31T23:59:59.999Z: later times are no session's, and would overflow the engine's arithmetic. */
    private static final long LATEST_EPOCH_MILLI = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    /** One below the largest long: the next save adds one. */
    private static final long LATEST_VERSION = Long.MAX_VALUE - 1;

    /**
     * The envelope a read of {@code written}, as {@link #serialize} writes it, gives: times to the
     * millisecond, the idle timeout to the second, each checked as a read checks it.
     *
     * @return the envelope read back, without attributes, or {@code null} when a read would refuse it
     */
    private static SessionRecord envelopeAsRead(SessionRecord written) {
        Instant created = toTheMilli(written.created());
        Instant absoluteExpiry = toTheMilli(written.absoluteExpiry());
        // A record's idle timeout is never longer than a read takes; it may be shorter than a second.
        Long maxInactive = written.maxInactive() == null ? null : written.maxInactive().toSeconds();
        if (written.version() > LATEST_VERSION || !readableTime(created) || !readableTime(absoluteExpiry)
                || maxInactive != null && maxInactive < 1) {
            return null;
        }
        return new SessionRecord(Map.of(), written.permanent(), written.version(), created,
                maxInactive == null ? null : Duration.ofSeconds(maxInactive), absoluteExpiry);
    }

    private static Instant toTheMilli(Instant time) {
        return time == null ? null : Instant.ofEpochMilli(time.toEpochMilli());
    }

    private static boolean readableTime(Instant time) {
        return time == null || time.toEpochMilli() >= 0 && time.toEpochMilli() <= LATEST_EPOCH_MILLI;
    }

    /** The envelope's fields as they are read: each at most once, each of its one type. */
    private final class Envelope {
        /** The record's bytes, when its attributes are read as slices of them; else {@code null}. */
        private final byte[] slicesOf;
        private int seen;
        private boolean permanent;
        private long version;
        private Instant created;
        private Duration maxInactive;
        private Instant absoluteExpiry;
        private Map<String, Object> attributes;

        Envelope(byte[] slicesOf) {
            this.slicesOf = slicesOf;
        }

        void read(String field, JsonToken value, JsonParser parser) throws IOException {
            switch (field) {
                case "permanent" -> {
                    once(1, field);
                    permanent = bool(value, field);
                }
                case "version" -> {
                    once(2, field);
                    version = wholeNumber(parser, value, field, 0, LATEST_VERSION);
                }
                case "created" -> {
                    once(4, field);
                    created = Instant.ofEpochMilli(wholeNumber(parser, value, field, 0, LATEST_EPOCH_MILLI));
                }
                case "maxInactive" -> {
                    once(8, field);
                    maxInactive = Duration.ofSeconds(wholeNumber(parser, value, field, 1, SessionRecord.LONGEST_LIFETIME.toSeconds()));
                }
                case "absoluteExpiry" -> {
                    once(16, field);
                    absoluteExpiry = Instant.ofEpochMilli(wholeNumber(parser, value, field, 0, LATEST_EPOCH_MILLI));
                }
                case "data" -> {
                    once(32, field);
                    expect(value, JsonToken.START_OBJECT);
                    if (slicesOf != null) {
                        attributes = readSlices(parser, slicesOf);
                    } else {
                        attributes = attributesReader.readValue(parser);
                        checkNumbers(attributes);
                        if (checksText) {
                            requireUnicode(attributes);
                        }
                    }
                }
                default -> parser.skipChildren();
            }
        }

        private void once(int bit, String field) {
            if ((seen & bit) != 0) {
                throw refused("\"" + field + "\" appears twice");
            }
            seen |= bit;
        }

        SessionRecord record() {
            if (attributes == null) {
                throw refused("no \"data\" object");
            }
            try {
                return new SessionRecord(attributes, permanent, version, created, maxInactive, absoluteExpiry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(notASession() + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads the attributes' object as slices of {@code data}, each value's tokens checked as a
     * whole read checks the values they make: the parser checks the syntax, the encoding, the
     * nesting and the numbers' lengths token by token. A fraction beyond a double's range, which
     * a whole read refuses unless a later value of the same name replaces it, has its attribute
     * read as a whole read reads it ({@link #checkNumbers}). What is left for a slice's own read
     * cannot fail.
     */
    private Map<String, Object> readSlices(JsonParser parser, byte[] data) throws IOException {
        Map<String, Object> slices = new LinkedHashMap<>();
        Set<String> outOfRange = null;
        JsonToken token = parser.nextToken();
        while (token == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            int start = (int) parser.currentTokenLocation().getByteOffset();
            boolean inRange = skipInRange(parser);
            // A value's end is known once the next token is: the next name, or the object's end.
            token = parser.nextToken();
            int end = valueEnd(data, (int) parser.currentTokenLocation().getByteOffset());
            slices.put(key, new JsonSlice(this, data, start, end));
            if (!inRange) {
                outOfRange = outOfRange == null ? new HashSet<>() : outOfRange;
                outOfRange.add(key);
            }
        }
        if (outOfRange != null) {
            // The last value of each such name decides, as in the whole read's map.
            for (String key : outOfRange) {
                ((JsonSlice) slices.get(key)).read();
            }
        }
        return JsonSlice.readOnReach(slices);
    }

    /**
     * Moves the parser past the value at its current token.
     *
     * @return whether every fraction in it is within a double's range
     */
    private static boolean skipInRange(JsonParser parser) throws IOException {
        boolean inRange = true;
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                inRange &= Double.isFinite(parser.getDoubleValue());
            }
            if (depth == 0) {
                return inRange;
            }
            token = parser.nextToken();
        }
    }

    /**
     * @param next where the token after a value begins: a name, after a comma, or the end of the object
     * @return where the value ends: before the whitespace and the comma that separate it from {@code next}
     */
    private static int valueEnd(byte[] data, int next) {
        int end = skipWhitespaceBack(data, next);
        if (data[end - 1] == ',') {
            end = skipWhitespaceBack(data, end - 1);
        }
        return end;
    }

    private static int skipWhitespaceBack(byte[] data, int end) {
        while (data[end - 1] == ' ' || data[end - 1] == '\n' || data[end - 1] == '\r' || data[end - 1] == '\t') {
            end--;
        }
        return end;
    }

    private boolean bool(JsonToken value, String field) {
        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw refused("\"" + field + "\" is " + value + ", not true or false");
        }
        return value == JsonToken.VALUE_TRUE;
    }

    private long wholeNumber(JsonParser parser, JsonToken value, String field, long min, long max)
            throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw refused("\"" + field + "\" is " + value + ", not a whole number");
        }
        long number = parser.getLongValue();
        if (number < min || number > max) {
            throw refused("\"" + field + "\" is out of range ["
                    + min + ", " + max + "]");
        }
        return number;
    }

    /**
     * Checks the numbers read, and gives whole numbers the type JSON gives them.
     *
     * <p>A number beyond a double's range (1e400) reads as infinity, which text cannot hold: it
     * would be written back as the string "Infinity", another value than the one read; a binary
     * format holds infinities and NaN as they are. A decimal whose exponent is beyond the longest
     * number read ({@code 1e999999999}, a few bytes in a binary format or with a mapper that reads
     * decimals as {@code BigDecimal}) is refused too: turning it into an integer or plain text
     * would take its billion digits of time and memory.
     *
     * <p>A binary format may encode a small whole number in a long form (-2 in eight bytes), and
     * reads it back as a {@code Long} or {@code BigInteger}; written back it takes its shortest
     * form and reads as an {@code Integer}. So that a session does not change by being saved
     * unchanged, a whole number reads as the smallest of {@code Integer}, {@code Long} and
     * {@code BigInteger} that holds it, as in JSON (unless the mapper is set to read whole
     * numbers as {@code Long} or {@code BigInteger}).
     *
     * <p>It visits every value of every session read, so the values that need nothing (most are
     * strings, small whole numbers and booleans) leave at the first test: with the numbers tested
     * first, a 16 KB session's walk took a third of its decoding.
     *
     * @return the value, or the same number in its smallest type
     */
    private Object checkNumbers(Object value) {
        if (value instanceof String || value instanceof Integer || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object read = entry.getValue();
                Object checked = checkNumbers(read);
                if (checked != read) {
                    @SuppressWarnings("unchecked")
                    Map.Entry<?, Object> writable = (Map.Entry<?, Object>) entry;
                    writable.setValue(checked);
                }
            }
        } else if (value instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) list;
            checkItems(items);
        } else if (value instanceof Double number) {
            if (finiteNumbersOnly && !Double.isFinite(number)) {
                throw refused("a number beyond a double's range");
            }
        } else if (value instanceof BigDecimal decimal) {
            if (Math.abs((long) decimal.scale()) > SessionJsonMapper.MAX_NUMBER_LENGTH) {
                throw refused("a decimal number with an exponent beyond " + SessionJsonMapper.MAX_NUMBER_LENGTH);
            }
        } else if (value instanceof Long number) {
            if (smallestWholeNumbers && number == number.intValue()) {
                return number.intValue();
            }
        } else if (value instanceof BigInteger number) {
            if (smallestWholeNumbers && number.bitLength() < Long.SIZE) {
                return checkNumbers(number.longValue());
            }
        }
        return value;
    }

    private void checkItems(List<Object> items) {
        ListIterator<Object> iterator = items.listIterator();
        while (iterator.hasNext()) {
            Object item = iterator.next();
            Object checked = checkNumbers(item);
            if (checked != item) {
                iterator.set(checked);
            }
        }
    }

    /**
     * Smile's and CBOR's parsers decode what they take for UTF-8 without checking it, and can
     * give a string with a lone surrogate (from {@code ED BD B5}, or from bytes that are not
     * UTF-8 at all) instead of refusing it. Such a string cannot be written back: the session
     * would read, but never save again.
     */
    private void requireUnicode(Object value) {
        if (value instanceof String text) {
            requireUnicode(text);
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                requireUnicode((String) entry.getKey());
                requireUnicode(entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            list.forEach(this::requireUnicode);
        }
    }

    private void requireUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw refused("a string with a lone surrogate, which is not Unicode");
            }
        }
    }

    private void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw refused("expected " + expected + " but found " + actual);
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
