package io.sessionkit.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * One attribute's value as it lies, still unparsed, in the JSON of a stored session, one that
 * this process wrote ({@link JsonSlices}) or one read by attribute from the store
 * ({@link JacksonSessionSerializer#deserializeSliced}): parsed when a request first reaches it,
 * and otherwise written into the next save as the same bytes. Never handed to an application.
 */
final class JsonSlice implements JsonSerializable {

    private final JacksonSessionSerializer reader;
    private final byte[] data;
    private final int start;
    private final int end;

    JsonSlice(JacksonSessionSerializer reader, byte[] data, int start, int end) {
        this.reader = reader;
        this.data = data;
        this.start = start;
        this.end = end;
    }

    /**
     * @param slices each attribute's slice, in the record's order
     * @return the attributes, each parsed when the request first reaches it: the request's own to change
     */
    static AttributesCopiedOnRead readOnReach(Map<String, Object> slices) {
        return AttributesCopiedOnRead.overUnread(slices, slice -> ((JsonSlice) slice).read());
    }

    /** @return the value, parsed as reading the whole session parses it */
    Object read() {
        return reader.readAttribute(data, start, end);
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        generator.writeRawValue(new RawJson());
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(generator, serializers);
    }

    /**
     * The bytes as they are, for a JSON generator's raw write, the only use made of them: a UTF-8
     * generator copies them into its buffer, or takes them whole when they do not fit; a text
     * generator takes them as a string.
     */
    private final class RawJson implements SerializableString {

        private static final String RAW_ONLY = "an attribute's stored JSON is only written as it is";

        @Override
        public String getValue() {
            return new String(data, start, end - start, StandardCharsets.UTF_8);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            int length = end - start;
            if (length > buffer.length - offset) {
                return -1;
            }
            System.arraycopy(data, start, buffer, offset, length);
            return length;
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return Arrays.copyOfRange(data, start, end);
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            return -1; // the generator then writes getValue()
        }

        @Override
        public int charLength() {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException(RAW_ONLY);
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException(RAW_ONLY);
        }
    }
}
