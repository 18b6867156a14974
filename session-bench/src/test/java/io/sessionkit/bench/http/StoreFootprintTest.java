package io.sessionkit.bench.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StoreFootprintTest {

    @Test
    void aSampleKeepsItsTextAndWritesControlCharactersOut() {
        byte[] stored = "\0SKV0123456789abcdef{\"cart\":[\"é\"]}\r\n\u007f".getBytes(StandardCharsets.UTF_8);

        assertEquals("\\x00SKV0123456789abcdef{\"cart\":[\"é\"]}\\x0d\\x0a\\x7f", StoreFootprint.printable(stored));
    }
}
