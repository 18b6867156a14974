package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sessionkit.core.TypedValues.typed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stored JSON record read by attribute ({@link JacksonSessionSerializer#deserializeSliced}):
 * it refuses what the whole read refuses, gives what the whole read gives once a value is
 * reached, parses nothing the request does not reach, and the save after it writes the values
 * never reached as the bytes they were.
 */
class SlicedReadTest {

    private final JsonSessionSerializer json = new JsonSessionSerializer();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Records a whole read accepts: spacing anywhere, escapes, every kind of value, a repeated name,
     * a number out of range that a later value of its name replaces.
     */
    private static final List<String> READABLE = List.of(
            "{\"version\":3,\"created\":1764806400000,\"permanent\":true,\"data\":{\"cart\":[{\"sku\":\"A-1\",\"n\":2}],\"user\":\"ada\"}}",
            "{\"permanent\":false,\"data\":{}}",
            "{ \"data\" :\n{ \"a\" : [ 1 , 2.5e3 , -0.0 ] ,\r\n\t\"b\"\t:\t\"x\\u0041\\\"\\n\"  ,\"c\":null,\"d\":true , \"e\":false} , \"permanent\" : true }",
            "{\"data\":{\"big\":123456789012345678901234567890,\"long\":12345678901,\"neg\":-7,\"tiny\":1e-300,\"max\":1.7976931348623157E308}}",
            "{\"data\":{\"same\":1,\"other\":{\"same\":[]},\"same\":2}}",
            "{\"data\":{\"caf\u00e9 \uD83D\uDE00\":\"\u00e9\u20ac\uD83D\uDE00\",\"nested\":{\"a\":{\"b\":{\"c\":[[[{}]]]}}}}}",
            "{\"unknown\":{\"data\":[1]},\"data\":{\"k\":\"v\"},\"later\":[{\"x\":1e400}]}",
            "{\"data\":{\"e\":1e400,\"e\":1,\"a\":{\"x\":-1e999,\"x\":[0.5]}}}");

    @Test
    void eachValueReadsAsTheWholeReadGivesIt() {
        for (String text : READABLE) {
            SessionRecord whole = json.deserialize(utf8(text));
            SessionRecord sliced = json.deserializeSliced(utf8(text));
            assertEquals(typed(whole.attributes()), typed(new LinkedHashMap<>(sliced.attributes())), text);
            assertEquals(whole, sliced, text);
        }
    }

    @Test
    void recordsInOtherEncodingsOrWithAByteOrderMarkAreReadWhole() {
        String text = READABLE.get(0);
        byte[] utf8 = utf8(text);
        byte[] withMark = new byte[utf8.length + 3];
        withMark[0] = (byte) 0xEF;
        withMark[1] = (byte) 0xBB;
        withMark[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withMark, 3, utf8.length);
        for (byte[] encoded : List.of(withMark, text.getBytes(StandardCharsets.UTF_16LE),
                text.getBytes(StandardCharsets.UTF_16BE), text.getBytes(StandardCharsets.UTF_16))) {
            SessionRecord sliced = json.deserializeSliced(encoded);
            assertEquals(json.deserialize(utf8), sliced);
            assertInstanceOf(LinkedHashMap.class, sliced.attributes(), "read whole");
        }
    }

    @Test
    void nothingIsParsedUntilTheRequestReachesIt() {
        SessionRecord sliced = json.deserializeSliced(utf8(READABLE.get(0)));
        AttributesCopiedOnRead attributes = assertInstanceOf(AttributesCopiedOnRead.class, sliced.attributes());

        assertEquals(List.of("cart", "user"), new ArrayList<>(attributes.keySet()));
        assertInstanceOf(JsonSlice.class, attributes.forReading().entrySet().iterator().next().getValue());
        assertEquals("ada", attributes.get("user"));
        assertInstanceOf(JsonSlice.class, attributes.forReading().entrySet().iterator().next().getValue(),
                "the cart, never reached, is still its bytes");
    }

    @Test
    void aSliceIsTheValuesOwnBytesWithoutTheSpacingAroundIt() {
        SessionRecord sliced = json.deserializeSliced(utf8(READABLE.get(2)));
        SessionRecord saved = new SessionRecord(((AttributesCopiedOnRead) sliced.attributes()).forReading(),
                sliced.permanent(), 1, null, null, null);

        assertEquals("{\"version\":1,\"permanent\":true,\"data\":{\"a\":[ 1 , 2.5e3 , -0.0 ],\"b\":\"x\\u0041\\\"\\n\",\"c\":null,"
                + "\"d\":true,\"e\":false}}", new String(json.serialize(saved), StandardCharsets.UTF_8));
    }

    @Test
    void aRecordThisLibraryWroteIsWrittenBackByteForByteWhenNothingIsReached() {
        byte[] stored = utf8(READABLE.get(0));
        SessionRecord sliced = json.deserializeSliced(stored);
        SessionRecord saved = new SessionRecord(((AttributesCopiedOnRead) sliced.attributes()).forReading(),
                sliced.permanent(), sliced.version(), sliced.created(), sliced.maxInactive(), sliced.absoluteExpiry());

        assertArrayEquals(stored, json.serialize(saved));
    }

    /** Records a whole read refuses: most for what lies in an attribute's value, some for their shape. */
    private static final List<String> REFUSED = List.of(
            "",
            " ",
            "{\"data\":{\"a\":1e400}}",
            "{\"data\":{\"a\":1,\"cart\":{\"items\":[1,2,-1e400]}}}",
            "{\"data\":{\"list\":[[{\"deep\":1e999}]]}}",
            "{\"data\":{\"e\":1,\"e\":1e400}}",
            "{\"data\":{\"a\":{\"x\":1,\"x\":-1e999}}}",
            "{\"data\":{\"n\":" + "9".repeat(1_001) + "}}",
            "{\"data\":{\"deep\":" + "[".repeat(SessionJsonMapper.MAX_NESTING_DEPTH) + "]".repeat(SessionJsonMapper.MAX_NESTING_DEPTH) + "}}",
            "{\"data\":{\"a\":[1,}}",
            "{\"data\":{\"a\":1,}}",
            "{\"data\":{\"a\":\"unterminated}}",
            "{\"data\":{\"a\":\"tab\tinside\"}}",
            "{\"data\":{\"a\":\"bad escape \\x\"}}",
            "{\"data\":{\"a\":{\"" + "n".repeat(SessionJsonMapper.MAX_NAME_LENGTH + 1) + "\":1}}}",
            "{\"data\":{\"a\":tru}}",
            "{\"data\":{\"a\" 1}}",
            "{\"data\":{\"a\":1 \"b\":2}}",
            "{\"data\":{\"a\":1}",
            "{\"data\":[1]}",
            "{\"data\":{\"a\":1},\"data\":{}}");

    @Test
    void whatTheWholeReadRefusesIsRefused() {
        for (String text : REFUSED) {
            RuntimeException whole = assertThrows(RuntimeException.class, () -> json.deserialize(utf8(text)), text);
            RuntimeException sliced = assertThrows(RuntimeException.class, () -> json.deserializeSliced(utf8(text)), text);
            assertEquals(whole.getClass(), sliced.getClass(), text);
            assertTrue(sliced.getMessage().startsWith("not a SessionKit JSON session: "), sliced.getMessage());
        }
    }

    @Test
    void bytesThatAreNotUtf8InsideAValueAreRefused() {
        for (byte[] broken : List.of(new byte[] {(byte) 0xC3, '"'}, new byte[] {(byte) 0xE2, (byte) 0x82, 'x'},
                new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, '"'}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF})) {
            byte[] prefix = utf8("{\"data\":{\"a\":[\"ok\",\"");
            byte[] suffix = utf8("\"]}}");
            byte[] record = new byte[prefix.length + broken.length + suffix.length];
            System.arraycopy(prefix, 0, record, 0, prefix.length);
            System.arraycopy(broken, 0, record, prefix.length, broken.length);
            System.arraycopy(suffix, 0, record, prefix.length + broken.length, suffix.length);

            assertThrows(RuntimeException.class, () -> json.deserialize(record), Arrays.toString(broken));
            assertThrows(RuntimeException.class, () -> json.deserializeSliced(record), Arrays.toString(broken));
        }
    }

    @Test
    void theEngineWritesTheValuesARequestNeverReachedAsTheyWereStored() {
        CountingMemoryBackend store = new CountingMemoryBackend();
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(), store);
        String id = RejectedCookieFuzzTest.STORED_ID;
        String notes = "n".repeat(SessionInterface.READ_BY_ATTRIBUTE_FROM);
        store.entries.put("session:" + id, utf8("{\"version\":2,\"permanent\":true,"
                + "\"data\":{\"profile\":{\"name\":\"Ada\",\"score\":1.50e2},\"cart\":[\"mug\"],\"notes\":\"" + notes + "\"}}"));

        Session session = engine.open(id);
        @SuppressWarnings("unchecked")
        List<Object> cart = (List<Object>) session.get("cart");
        cart.add("pen");
        session.put("cart", cart);
        engine.save(session);

        String saved = new String(store.entries.get("session:" + id), StandardCharsets.UTF_8);
        assertTrue(saved.contains("\"data\":{\"profile\":{\"name\":\"Ada\",\"score\":1.50e2},\"cart\":[\"mug\",\"pen\"],"),
                "the profile as stored, the cart as changed: " + saved);
        Session next = engine.open(id);
        assertEquals(Map.of("name", "Ada", "score", 150.0), next.get("profile"));
        assertEquals(List.of("mug", "pen"), next.get("cart"));
        assertEquals(notes, next.get("notes"));
    }

    @Test
    void theEngineReadsAStoredSessionShorterThanTheThresholdWhole() {
        CountingMemoryBackend store = new CountingMemoryBackend();
        SessionInterface engine = SessionInterface.create(SessionConfig.builder().build(), store);
        String id = RejectedCookieFuzzTest.STORED_ID;
        String prefix = "{\"version\":2,\"permanent\":true,\"data\":{\"score\":1.50e2,\"notes\":\"";
        String suffix = "\"}}";
        String shortest = "n".repeat(SessionInterface.READ_BY_ATTRIBUTE_FROM - prefix.length() - suffix.length());
        for (String notes : List.of(shortest.substring(1), shortest)) {
            store.entries.put("session:" + id, utf8(prefix + notes + suffix));
            Session session = engine.open(id);
            session.put("cart", List.of());
            engine.save(session);

            String saved = new String(store.entries.get("session:" + id), StandardCharsets.UTF_8);
            String score = notes.length() < shortest.length() ? "150.0" : "1.50e2";
            assertTrue(saved.contains("\"score\":" + score + ","), (prefix.length() + notes.length() + suffix.length())
                    + " bytes: " + saved.substring(0, 60));
        }
    }
}
