package io.sessionkit.core;

import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The decoded records kept for the bytes a near cache serves: decoded twice, then copied; every
 * read's record its own; what cannot be copied, or fails to decode, decoded every time.
 */
class DecodedCopiesTest {

    private static final NearCacheSize HUNDRED_SESSIONS = new NearCacheSize(100, false);

    /** Decodes by handing out a new record built by {@code contents}, counting the calls. */
    private static final class CountingDecoder implements Function<byte[], SessionRecord> {
        final AtomicInteger calls = new AtomicInteger();
        private final Function<byte[], Map<String, Object>> contents;

        CountingDecoder(Function<byte[], Map<String, Object>> contents) {
            this.contents = contents;
        }

        @Override
        public SessionRecord apply(byte[] data) {
            calls.incrementAndGet();
            return new SessionRecord(contents.apply(data), true, 7, Instant.parse("2030-01-01T00:00:00Z"),
                    Duration.ofMinutes(30), Instant.parse("2030-02-01T00:00:00Z"));
        }
    }

    /** Every kind of value Jackson's untyped reads give, nested. */
    private static Map<String, Object> everyKind(byte[] ignored) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("name", "Ada");
        profile.put("visits", 3);
        profile.put("big", 12_345_678_901L);
        profile.put("huge", new BigInteger("123456789012345678901234567890"));
        profile.put("ratio", 0.5);
        profile.put("price", new BigDecimal("19.99"));
        profile.put("small", 1.5f);
        profile.put("admin", false);
        profile.put("none", null);
        profile.put("avatar", new byte[] {1, 2, 3});
        List<Object> cart = new ArrayList<>(List.of("mug", 2));
        cart.add(new LinkedHashMap<>(Map.of("sku", "A-1")));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("profile", profile);
        attributes.put("cart", cart);
        return attributes;
    }

    @Test
    void anArrayReadAgainIsDecodedTwiceThenCopied() {
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(decoder, decoder, HUNDRED_SESSIONS);
        byte[] stored = bytes("stored");

        SessionRecord first = copies.decode(stored);
        for (int i = 0; i < 5; i++) {
            SessionRecord again = copies.decode(stored);
            assertEquals(comparable(first), comparable(again), "read " + (i + 2) + " gives the same record");
        }
        assertEquals(2, decoder.calls.get(), "decoded on the first and second reads only");
    }

    @Test
    void theFirstReadOfBytesReadsThemByAttributeAndTheSecondWhole() {
        CountingDecoder firstRead = new CountingDecoder(DecodedCopiesTest::everyKind);
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(firstRead, decoder, HUNDRED_SESSIONS);
        byte[] stored = bytes("stored");
        for (int i = 0; i < 4; i++) {
            copies.decode(stored);
        }
        assertEquals(1, firstRead.calls.get(), "the first read");
        assertEquals(1, decoder.calls.get(), "the second read, whose record is kept and copied after");
    }

    @Test
    void eachReadGetsARecordOfItsOwn() {
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(decoder, decoder, HUNDRED_SESSIONS);
        byte[] stored = bytes("stored");
        SessionRecord pristine = decoder.apply(stored);

        for (int i = 0; i < 4; i++) {
            SessionRecord record = copies.decode(stored);
            assertEquals(comparable(pristine), comparable(record), "read " + (i + 1) + ", envelope included");
            Map<String, Object> profile = map(record.attributes().get("profile"));
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) profile.get("avatar"), "read " + (i + 1));
            assertEquals(3, list(record.attributes().get("cart")).size(), "read " + (i + 1));
            // What a request does to its session's values in place, which must not reach the next request.
            ((byte[]) profile.get("avatar"))[0] = 9;
            profile.put("name", "changed");
            list(record.attributes().get("cart")).add("more");
            map(list(record.attributes().get("cart")).get(2)).put("sku", "changed");
            record.attributes().put("added", true);
        }
    }

    @Test
    void immutableValuesAreSharedAndContainersAreNot() {
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(decoder, decoder, HUNDRED_SESSIONS);
        byte[] stored = bytes("stored");
        copies.decode(stored);
        SessionRecord second = copies.decode(stored);
        SessionRecord third = copies.decode(stored);

        assertNotSame(second.attributes(), third.attributes());
        assertNotSame(second.attributes().get("cart"), third.attributes().get("cart"));
        Map<String, Object> secondProfile = map(second.attributes().get("profile"));
        Map<String, Object> thirdProfile = map(third.attributes().get("profile"));
        assertNotSame(secondProfile, thirdProfile);
        assertNotSame(secondProfile.get("avatar"), thirdProfile.get("avatar"));
        assertSame(secondProfile.get("name"), thirdProfile.get("name"));
        assertSame(secondProfile.get("huge"), thirdProfile.get("huge"));
        assertEquals(List.of("profile", "cart"), new ArrayList<>(third.attributes().keySet()), "order kept");
    }

    @Test
    void bytesThisProcessWroteAreReadByAttributeFirstThenDecodedOnceAndCopied() {
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(decoder, decoder, HUNDRED_SESSIONS);
        JsonSessionSerializer json = new JsonSessionSerializer();
        SessionRecord saved = new SessionRecord(new LinkedHashMap<>(Map.of("cart", List.of("mug"), "visits", 3L)), true,
                4, Instant.parse("2030-01-01T00:00:00Z"), Duration.ofMinutes(30), Instant.parse("2030-01-02T00:00:00Z"));
        JsonSlices.Written written = json.serializeSliced(saved);

        copies.written(written.bytes(), written.slices());
        SessionRecord first = copies.decode(written.bytes());
        assertEquals(0, decoder.calls.get(), "the first read by attribute");
        assertEquals(comparable(json.deserialize(written.bytes())), comparable(first));
        list(first.attributes().get("cart")).add("changed by a request");
        for (int i = 0; i < 3; i++) {
            SessionRecord read = copies.decode(written.bytes());
            assertEquals(comparable(decoder.apply(written.bytes())), comparable(read), "read " + (i + 2));
        }
        assertEquals(1 + 3, decoder.calls.get(), "decoded whole on the second read only, copied after");
    }

    @Test
    void bytesWrittenWithoutSlicesAreDecodedAsAny() {
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(decoder, decoder, HUNDRED_SESSIONS);
        byte[] written = bytes("written");
        copies.written(written, null);
        for (int i = 0; i < 4; i++) {
            copies.decode(written);
        }
        assertEquals(2, decoder.calls.get(), "decoded on the first two reads, as bytes read from the store are");
    }

    @Test
    void equalBytesInAnotherArrayAreDecodedAnew() {
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(decoder, decoder, HUNDRED_SESSIONS);
        copies.decode(bytes("stored"));
        copies.decode(bytes("stored"));
        copies.decode(bytes("stored"));
        assertEquals(3, decoder.calls.get(), "kept by the array, not by its contents");
    }

    @Test
    void aRecordWithAValueThatCannotBeCopiedIsDecodedEveryTime() {
        for (Object uncopyable : List.<Object>of(new HashMap<>(Map.of("k", "v")), new StringBuilder("mutable"),
                List.of("unmodifiable"), new ArrayList<>(List.of(new StringBuilder("inside a list"))))) {
            CountingDecoder decoder = new CountingDecoder(data -> {
                Map<String, Object> attributes = new LinkedHashMap<>();
                attributes.put("plain", "text");
                attributes.put("odd", uncopyable);
                return attributes;
            });
            DecodedCopies copies = new DecodedCopies(decoder, decoder, HUNDRED_SESSIONS);
            byte[] stored = bytes("stored");
            for (int i = 0; i < 4; i++) {
                assertSame(uncopyable, copies.decode(stored).attributes().get("odd"));
            }
            assertEquals(4, decoder.calls.get(), uncopyable.getClass().getName() + " is not copied");
        }
    }

    @Test
    void aFailedDecodeIsThrownAndNothingIsKept() {
        AtomicInteger calls = new AtomicInteger();
        Function<byte[], SessionRecord> failing = data -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("not a session");
        };
        DecodedCopies copies = new DecodedCopies(failing, failing, HUNDRED_SESSIONS);
        byte[] stored = bytes("garbage");
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalArgumentException.class, () -> copies.decode(stored));
        }
        assertEquals(3, calls.get());
    }

    @Test
    void aRecordLargerThanTheBoundInBytesIsNotKept() {
        CountingDecoder decoder = new CountingDecoder(DecodedCopiesTest::everyKind);
        DecodedCopies copies = new DecodedCopies(decoder, decoder, new NearCacheSize(10, true));
        byte[] stored = bytes("more than ten bytes");
        for (int i = 0; i < 4; i++) {
            copies.decode(stored);
        }
        assertEquals(4, decoder.calls.get());
    }

    /** The record with its byte arrays as lists, which compare by their contents. */
    private static Object comparable(Object value) {
        if (value instanceof SessionRecord record) {
            return List.of(comparable(record.attributes()), record.permanent(), record.version(),
                    record.created(), record.maxInactive(), record.absoluteExpiry());
        }
        if (value instanceof byte[] bytes) {
            List<Byte> contents = new ArrayList<>();
            for (byte b : bytes) {
                contents.add(b);
            }
            return contents;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> contents = new LinkedHashMap<>();
            map.forEach((key, item) -> contents.put(key, comparable(item)));
            return contents;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> item == null ? "null" : comparable(item)).toList();
        }
        return value;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
