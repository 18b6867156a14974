package io.sessionkit.serialization.binary;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.sessionkit.core.JacksonSessionSerializer;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code cbor} format against {@link BinaryFormatContract}, and the shape of what it writes. */
class CborSessionSerializerTest extends BinaryFormatContract {

    @Override
    JacksonSessionSerializer serializer() {
        return new CborSessionSerializer();
    }

    @Override
    JacksonSessionSerializer withMapper(ObjectMapper mapper) {
        return new CborSessionSerializer(mapper);
    }

    @Override
    JsonFactory unlimitedFactory() {
        return new CBORFactory();
    }

    @Override
    String refusalPrefix() {
        return "not a SessionKit CBOR session: ";
    }

    @Test
    @DisplayName("writes a CBOR map whose first key is \"version\"")
    void writesACborMap() {
        byte[] written = serializer().serialize(new SessionRecord(Map.of(), false));
        assertEquals((byte) 0xBF, written[0], "an indefinite-length map");
        assertEquals("version", new String(written, 2, 7, StandardCharsets.US_ASCII));
    }
}
