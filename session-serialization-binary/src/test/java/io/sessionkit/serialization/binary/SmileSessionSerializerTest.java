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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
