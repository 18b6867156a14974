package io.sessionkit.bench.jmh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import io.sessionkit.core.JacksonSessionSerializer;
import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.serialization.binary.CborSessionSerializer;
import io.sessionkit.serialization.binary.SmileSessionSerializer;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The serialization formats on three session sizes ({@link SessionPayloads}): what a modifying
 * request pays to write its session ({@code encode}), and what every loading request pays to
 * read it ({@code decode}). {@link #main} prints the stored size of each format and size.
 *
 * <p>{@link UntouchedValues} measures whether a save that changed one small attribute could
 * skip re-encoding the others by copying their bytes from the record it loaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerializerBenchmark {

    /** {@code smile-shared}: Smile that also writes repeated short strings once, a candidate default for {@code smile}. */
    @Param({"json", "smile", "smile-shared", "cbor"})
    public String format;

    @Param({"cart5", "cart20", "app16k"})
    public String size;

    private SessionSerializer serializer;
    private SessionRecord session;
    private byte[] encoded;

    static SessionSerializer serializer(String format) {
        return switch (format) {
            case "json" -> new JsonSessionSerializer();
            case "smile" -> new SmileSessionSerializer();
            case "smile-shared" -> {
                SmileFactory factory = new SmileFactory();
                factory.enable(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES);
                yield new JacksonSessionSerializer("smile", factory) { };
            }
            case "cbor" -> new CborSessionSerializer();
            default -> throw new IllegalArgumentException("format must be json, smile, smile-shared or cbor, not " + format);
        };
    }

    static SessionRecord session(String size) {
        return new SessionRecord(SessionPayloads.of(size), true, 7, Instant.ofEpochMilli(1_764_806_400_000L),
                Duration.ofMinutes(30), null);
    }

    @Setup
    public void prepare() {
        serializer = serializer(format);
        session = session(size);
        encoded = serializer.serialize(session);
        int json = new JsonSessionSerializer().serialize(session).length;
        int intended = SessionPayloads.intendedJsonBytes(size);
        if (json < intended * 3 / 4 || json > intended * 5 / 4) {
            throw new IllegalStateException("the " + size + " session is " + json + " bytes as JSON, far from the intended ~"
                    + intended + "; adjust SessionPayloads");
        }
        if (!serializer.deserialize(encoded).equals(serializer.deserialize(serializer.serialize(serializer.deserialize(encoded))))) {
            throw new IllegalStateException(format + " does not read back what it wrote");
        }
    }

    @Benchmark
    public byte[] encode() {
        return serializer.serialize(session);
    }

    @Benchmark
    public SessionRecord decode() {
        return serializer.deserialize(encoded);
    }

    /**
     * Prints the stored size of every session size in every format, in bytes.
     *
     * @param args none
     */
    public static void main(String[] args) {
        String[] formats = {"json", "smile", "smile-shared", "cbor"};
        System.out.println("| session | " + String.join(" | ", formats) + " |");
        System.out.println("| --- |" + " ---: |".repeat(formats.length));
        for (String size : SessionPayloads.SIZES) {
            StringBuilder row = new StringBuilder("| `" + size + "` |");
            int json = serializer("json").serialize(session(size)).length;
            for (String format : formats) {
                int bytes = serializer(format).serialize(session(size)).length;
                row.append(' ').append(bytes);
                if (!format.equals("json")) {
                    row.append(String.format(" (%d %%)", Math.round(100.0 * bytes / json)));
                }
                row.append(" |");
            }
            System.out.println(row);
        }
    }

    /**
     * A prototype, in JSON, of saving a session in which one small attribute changed (a rotated
     * CSRF token) without re-encoding the others: the load keeps each attribute's bytes, the save
     * writes the changed attribute and copies the rest. {@code readAndRewriteWhole} is today's
     * load and save; {@code readAndRewriteChangedOnly} the prototype's; the {@code rewrite...}
     * pair is the save alone. The setup checks that both write the same bytes.
     */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(1)
    public static class UntouchedValues {

        private static final String CHANGED = "csrf_token";
        private static final Set<String> CHANGED_KEYS = Set.of(CHANGED);

        @Param({"cart5", "cart20", "app16k"})
        public String size;

        private final JsonSessionSerializer json = new JsonSessionSerializer();
        private final ObjectMapper mapper = new ObjectMapper();
        private final ObjectReader valueReader = mapper.readerFor(Object.class);
        private byte[] stored;
        private SessionRecord loaded;
        private Map<String, byte[]> fragments;

        @Setup
        public void prepare() {
            stored = json.serialize(session(size));
            loaded = json.deserialize(stored);
            fragments = new HashMap<>();
            SessionRecord kept = readKeepingFragments(stored, fragments);
            if (!kept.equals(loaded)) {
                throw new IllegalStateException("the prototype reads another record than the json format");
            }
            if (!Arrays.equals(stored, rewriteChanged(kept, fragments, Set.of()))) {
                throw new IllegalStateException("the prototype rewrites an unchanged record differently");
            }
            if (!Arrays.equals(readAndRewriteWhole(), readAndRewriteChangedOnly())) {
                throw new IllegalStateException("the prototype writes another record than the json format");
            }
        }

        private static SessionRecord rotated(SessionRecord record) {
            Map<String, Object> attributes = new LinkedHashMap<>(record.attributes());
            attributes.put(CHANGED, "0f0e0d0c0b0a09080706050403020100");
            return new SessionRecord(attributes, record.permanent(), record.version(), record.created(),
                    record.maxInactive(), record.absoluteExpiry());
        }

        @Benchmark
        public byte[] readAndRewriteWhole() {
            return json.serialize(rotated(json.deserialize(stored)));
        }

        @Benchmark
        public byte[] readAndRewriteChangedOnly() {
            Map<String, byte[]> kept = new HashMap<>();
            SessionRecord record = readKeepingFragments(stored, kept);
            return rewriteChanged(rotated(record), kept, CHANGED_KEYS);
        }

        @Benchmark
        public byte[] rewriteWhole() {
            return json.serialize(rotated(loaded));
        }

        @Benchmark
        public byte[] rewriteChangedOnly() {
            return rewriteChanged(rotated(loaded), fragments, CHANGED_KEYS);
        }

        /** Reads the record as the json format does (without its checks), keeping each attribute's bytes. */
        private SessionRecord readKeepingFragments(byte[] data, Map<String, byte[]> kept) {
            try (JsonParser parser = mapper.createParser(data)) {
                parser.nextToken();
                long version = 0;
                boolean permanent = false;
                Instant created = null;
                Duration maxInactive = null;
                Instant absoluteExpiry = null;
                Map<String, Object> attributes = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "version" -> version = parser.getLongValue();
                        case "permanent" -> permanent = parser.getBooleanValue();
                        case "created" -> created = Instant.ofEpochMilli(parser.getLongValue());
                        case "maxInactive" -> maxInactive = Duration.ofSeconds(parser.getLongValue());
                        case "absoluteExpiry" -> absoluteExpiry = Instant.ofEpochMilli(parser.getLongValue());
                        case "data" -> {
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                String key = parser.currentName();
                                parser.nextToken();
                                int start = (int) parser.currentTokenLocation().getByteOffset();
                                attributes.put(key, valueReader.readValue(parser));
                                int end = (int) parser.currentLocation().getByteOffset();
                                kept.put(key, Arrays.copyOfRange(data, start, end));
                            }
                        }
                        default -> parser.skipChildren();
                    }
                }
                return new SessionRecord(attributes, permanent, version, created, maxInactive, absoluteExpiry);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the record as the json format does, copying the kept bytes of every attribute not in {@code changed}. */
        private byte[] rewriteChanged(SessionRecord record, Map<String, byte[]> kept, Set<String> changed) {
            // The buffer the json format writes into, for a fair comparison.
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
                    generator.writeObjectFieldStart("data");
                    for (Map.Entry<String, Object> attribute : record.attributes().entrySet()) {
                        generator.writeFieldName(attribute.getKey());
                        byte[] bytes = changed.contains(attribute.getKey()) ? null : kept.get(attribute.getKey());
                        if (bytes == null) {
                            mapper.writeValue(generator, attribute.getValue());
                        } else {
                            generator.writeRawValue(new RawJson(bytes));
                        }
                    }
                    generator.writeEndObject();
                    generator.writeEndObject();
                }
                return out.getClearAndRelease();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                recycler.releaseToPool();
            }
        }

        /** JSON bytes the generator copies as they are: only the raw-writing methods are used. */
        private static final class RawJson implements SerializableString {
            private final byte[] utf8;

            RawJson(byte[] utf8) {
                this.utf8 = utf8;
            }

            @Override
            public int appendUnquotedUTF8(byte[] buffer, int offset) {
                if (offset + utf8.length > buffer.length) {
                    return -1;
                }
                System.arraycopy(utf8, 0, buffer, offset, utf8.length);
                return utf8.length;
            }

            @Override
            public byte[] asUnquotedUTF8() {
                return utf8;
            }

            @Override
            public int writeUnquotedUTF8(OutputStream out) throws IOException {
                out.write(utf8);
                return utf8.length;
            }

            @Override
            public String getValue() {
                return new String(utf8, StandardCharsets.UTF_8);
            }

            @Override
            public int charLength() {
                return getValue().length();
            }

            @Override
            public char[] asQuotedChars() {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] asQuotedUTF8() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int appendQuotedUTF8(byte[] buffer, int offset) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int appendQuoted(char[] buffer, int offset) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int appendUnquoted(char[] buffer, int offset) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int writeQuotedUTF8(OutputStream out) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int putQuotedUTF8(ByteBuffer buffer) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int putUnquotedUTF8(ByteBuffer buffer) {
                throw new UnsupportedOperationException();
            }
        }
    }
}
