package io.sessionkit.serialization.binary;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.sessionkit.core.JacksonSessionSerializer;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** {"data":{"a": value}} as an indefinite-length CBOR map, {@code value} given encoded. */
    private static byte[] record(int... value) {
        byte[] start = {(byte) 0xBF, 0x64, 'd', 'a', 't', 'a', (byte) 0xBF, 0x61, 'a'};
        byte[] bytes = Arrays.copyOf(start, start.length + value.length + 2);
        for (int i = 0; i < value.length; i++) {
            bytes[start.length + i] = (byte) value[i];
        }
        bytes[bytes.length - 2] = (byte) 0xFF;
        bytes[bytes.length - 1] = (byte) 0xFF;
        return bytes;
    }

    @Test
    @DisplayName("a text encoding a lone surrogate is refused: it reads, but could never be written back")
    void aLoneSurrogateIsRefused() {
        assertEquals(refusalPrefix() + "a string with a lone surrogate, which is not Unicode",
                refusal(record(0x63, 0xED, 0xBD, 0xB5)));
        assertEquals("\uD83C\uDF75", serializer().deserialize(record(0x64, 0xF0, 0x9F, 0x8D, 0xB5)).attributes().get("a"));
        assertArrayEquals(new byte[] {(byte) 0xED, (byte) 0xBD}, (byte[]) serializer().deserialize(record(0x42, 0xED, 0xBD))
                .attributes().get("a"), "the same bytes in a byte string are data");
    }
}
