package io.sessionkit.serialization.binary;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import io.sessionkit.core.JacksonSessionSerializer;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code smile} format against {@link BinaryFormatContract}, and Smile's header. */
class SmileSessionSerializerTest extends BinaryFormatContract {

    @Override
    JacksonSessionSerializer serializer() {
        return new SmileSessionSerializer();
    }

    @Override
    JacksonSessionSerializer withMapper(ObjectMapper mapper) {
        return new SmileSessionSerializer(mapper);
    }

    @Override
    JsonFactory unlimitedFactory() {
        return new SmileFactory();
    }

    @Override
    String refusalPrefix() {
        return "not a SessionKit Smile session: ";
    }

    @Test
    @DisplayName("writes Smile's header, and refuses a record without one")
    void headerWrittenAndRequired() {
        byte[] written = serializer().serialize(new SessionRecord(Map.of(), false));
        assertEquals(":)\n", new String(written, 0, 3, StandardCharsets.US_ASCII));
        SmileFactory headerless = new SmileFactory();
        headerless.disable(SmileGenerator.Feature.WRITE_HEADER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = headerless.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeObjectFieldStart("data");
            generator.writeEndObject();
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(refusalPrefix() + "malformed Smile (JsonParseException) at byte 0", refusal(out.toByteArray()));
    }

    @Test
    @DisplayName("records written with shared string values, an application's own Smile serializer, read as smile")
    void sharedStringValuesRead() {
        SmileFactory factory = new SmileFactory();
        factory.enable(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES);
        JacksonSessionSerializer shared = new JacksonSessionSerializer("smile", factory) { };
        List<Object> cart = List.of(Map.of("name", "Blue mug"), Map.of("name", "Blue mug"), Map.of("name", "Blue mug"));
        SessionRecord record = new SessionRecord(Map.of("cart", cart), true);
        byte[] written = shared.serialize(record);
        assertTrue(written.length < serializer().serialize(record).length, "the repeated value is written once");
        assertEquals(record, serializer().deserialize(written));
        assertEquals(record, shared.deserialize(serializer().serialize(record)));
    }
}
