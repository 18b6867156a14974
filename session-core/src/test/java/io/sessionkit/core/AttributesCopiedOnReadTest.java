package io.sessionkit.core;

import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request's attributes over a kept record: each value copied when first reached and only then,
 * the kept record never changed by anything the request does.
 */
class AttributesCopiedOnReadTest {

    private Map<String, Object> kept;
    private Map<String, Object> pristine;
    private final AtomicInteger copies = new AtomicInteger();
    /** Copies lists and maps one level deep, as the values here are; counts what it copies. */
    private final UnaryOperator<Object> copier = value -> {
        if (value instanceof List<?> list) {
            copies.incrementAndGet();
            return new ArrayList<>(list);
        }
        if (value instanceof Map<?, ?> map) {
            copies.incrementAndGet();
            return new LinkedHashMap<>(map);
        }
        return value;
    };

    @BeforeEach
    void keptRecord() {
        kept = new LinkedHashMap<>();
        kept.put("cart", new ArrayList<>(List.of("mug", "beans")));
        kept.put("profile", new LinkedHashMap<>(Map.of("name", "Ada")));
        kept.put("csrf", "token-1");
        kept.put("nothing", null);
        pristine = snapshot(kept);
    }

    private AttributesCopiedOnRead attributes() {
        return new AttributesCopiedOnRead(kept, copier);
    }

    @Test
    void aValueIsCopiedWhenFirstReadAndTheSameCopyIsReadAfter() {
        AttributesCopiedOnRead attributes = attributes();
        assertTrue(attributes.shares("cart"));

        List<Object> cart = list(attributes.get("cart"));

        assertNotSame(kept.get("cart"), cart);
        assertEquals(kept.get("cart"), cart);
        assertFalse(attributes.shares("cart"));
        assertSame(cart, attributes.get("cart"), "copied once");
        assertEquals(1, copies.get());
        cart.add("filters");
        assertEquals(List.of("mug", "beans", "filters"), attributes.get("cart"));
        assertEquals(pristine, snapshot(kept));
    }

    @Test
    void valuesNotReachedAreNotCopied() {
        AttributesCopiedOnRead attributes = attributes();
        attributes.get("cart");

        assertTrue(attributes.shares("profile"));
        assertEquals(4, attributes.size());
        assertTrue(attributes.containsKey("profile"));
        assertTrue(attributes.containsKey("nothing"));
        assertFalse(attributes.containsKey("absent"));
        assertEquals(List.of("cart", "profile", "csrf", "nothing"), new ArrayList<>(attributes.keySet()));
        assertFalse(attributes.isEmpty());
        assertTrue(attributes.shares("profile"), "names alone copy nothing");
        assertEquals(1, copies.get());
    }

    @Test
    void valuesThatCannotChangeAreHandedOutAsTheyAre() {
        AttributesCopiedOnRead attributes = attributes();
        assertSame(kept.get("csrf"), attributes.get("csrf"));
        assertSame(kept.get("csrf"), attributes.get("csrf"));
        assertNull(attributes.get("nothing"));
        assertNull(attributes.get("absent"));
        assertFalse(attributes.shares("nothing"), "no value to share");
        assertFalse(attributes.shares("absent"));
        assertEquals(0, copies.get());
    }

    @Test
    void putAnswersACopyOfThePreviousValue() {
        AttributesCopiedOnRead attributes = attributes();

        List<Object> previous = list(attributes.put("cart", List.of("tea")));

        assertNotSame(kept.get("cart"), previous);
        assertEquals(List.of("mug", "beans"), previous);
        previous.clear();
        assertEquals(List.of("tea"), attributes.get("cart"));
        assertNull(attributes.put("new", 1));
        assertEquals(5, attributes.size());
        assertEquals(pristine, snapshot(kept));
    }

    @Test
    void removeAnswersACopyOfTheRemovedValue() {
        AttributesCopiedOnRead attributes = attributes();

        Map<String, Object> removed = map(attributes.remove("profile"));

        assertNotSame(kept.get("profile"), removed);
        removed.put("name", "changed");
        assertFalse(attributes.containsKey("profile"));
        assertNull(attributes.get("profile"));
        assertNull(attributes.remove("absent"));
        assertEquals(3, attributes.size());
        assertEquals(pristine, snapshot(kept));
    }

    @Test
    void viewsThatHandValuesOutCopyThemAll() {
        AttributesCopiedOnRead values = attributes();
        values.values().forEach(value -> {
            if (value instanceof List<?> list) {
                list(list).add("changed");
            }
        });
        assertFalse(values.shares("cart"));
        assertFalse(values.shares("profile"));
        assertEquals(List.of("mug", "beans", "changed"), values.get("cart"));

        AttributesCopiedOnRead entries = attributes();
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> map) {
                map(map).put("name", "changed");
            }
        }
        assertEquals(Map.of("name", "changed"), entries.get("profile"));
        entries.entrySet().iterator().next().setValue("written through");
        assertEquals("written through", entries.get("cart"));

        AttributesCopiedOnRead each = attributes();
        each.forEach((key, value) -> {
            if (value instanceof List<?> list) {
                list(list).clear();
            }
        });
        assertEquals(List.of(), each.get("cart"));

        assertEquals(pristine, snapshot(kept));
        assertEquals(6, copies.get(), "two containers in each of three maps, each copied once");
    }

    @Test
    void aValueReachedBeforeAllAreCopiedKeepsItsCopy() {
        AttributesCopiedOnRead attributes = attributes();
        List<Object> cart = list(attributes.get("cart"));
        cart.add("filters");

        attributes.values();

        assertSame(cart, attributes.get("cart"));
        assertEquals(2, copies.get(), "the cart once, the profile once");
    }

    @Test
    void equalityAndHashCodeAreThoseOfTheValues() {
        AttributesCopiedOnRead attributes = attributes();
        Map<String, Object> same = snapshot(kept);
        assertEquals(same, attributes);
        assertEquals(attributes, same);
        assertEquals(same.hashCode(), attributes.hashCode());
        attributes.put("csrf", "token-2");
        assertFalse(attributes.equals(same));
        assertEquals(pristine, snapshot(kept));
    }

    @Test
    void forReadingShowsTheValuesWithoutCopyingAndRefusesChanges() {
        AttributesCopiedOnRead attributes = attributes();
        attributes.put("csrf", "token-2");

        Map<String, Object> read = attributes.forReading();

        assertEquals(List.of("cart", "profile", "csrf", "nothing"), new ArrayList<>(read.keySet()));
        assertEquals("token-2", read.get("csrf"));
        assertSame(kept.get("cart"), read.get("cart"));
        assertEquals(0, copies.get());
        assertThrows(UnsupportedOperationException.class, () -> read.put("cart", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> read.remove("cart"));
    }

    @Test
    void standInsAreReadWhenFirstReachedAndHandedToTheSerializerAsTheyAre() {
        Map<String, Object> unread = new LinkedHashMap<>();
        unread.put("cart", "[\"mug\"]");
        unread.put("principal", "\"ada\"");
        List<Object> read = new ArrayList<>();
        AttributesCopiedOnRead attributes = AttributesCopiedOnRead.overUnread(unread, standIn -> {
            read.add(standIn);
            return "value of " + standIn;
        });

        assertEquals("value of [\"mug\"]", attributes.get("cart"));
        assertEquals("value of [\"mug\"]", attributes.get("cart"));
        Map<String, Object> forReading = attributes.forReading();
        assertEquals(Map.of("cart", "value of [\"mug\"]", "principal", "\"ada\""),
                new LinkedHashMap<>(forReading), "the stand-in as it is");
        assertTrue(forReading.containsKey("principal"));
        assertFalse(forReading.containsKey("absent"));
        assertEquals(2, forReading.size());
        assertEquals(List.of("[\"mug\"]"), read, "read once, and nothing else read");
        assertEquals("value of \"ada\"", forReading.get("principal"), "read when asked for by name");
        assertEquals(List.of("[\"mug\"]", "\"ada\""), read);
        assertThrows(UnsupportedOperationException.class, () -> forReading.put("cart", List.of()));
    }

    @Test
    void valuesCopiedAllAtOnceAreNotCopiedAgain() {
        AtomicInteger calls = new AtomicInteger();
        AttributesCopiedOnRead attributes = new AttributesCopiedOnRead(kept, value -> {
            calls.incrementAndGet();
            return copier.apply(value);
        });
        attributes.values();
        int once = calls.get();
        attributes.values();
        attributes.entrySet();
        attributes.get("csrf");
        assertEquals(3, once, "each value once");
        assertEquals(once, calls.get(), "nothing copied a second time");
    }

    @Test
    void aSessionOverKeptAttributesSavesTheValuesItNeverReachedWithoutCopyingThem() {
        AttributesCopiedOnRead attributes = attributes();
        SessionRecord record = new SessionRecord(attributes, false, 3, Instant.EPOCH, null, null);
        TrackedSession session = new TrackedSession(new StoredOnly(record), "id", true, false);

        session.put("csrf", "token-2");
        Map<String, Object> saved = session.toRecord().attributes();

        assertSame(kept.get("profile"), saved.get("profile"), "written as kept");
        assertTrue(attributes.shares("cart"));
        assertEquals("token-2", saved.get("csrf"));
        assertThrows(UnsupportedOperationException.class, () -> saved.put("cart", List.of()));
        assertEquals(0, copies.get());
    }

    /** A source that holds one stored session. */
    private record StoredOnly(SessionRecord record) implements SessionSource {
        @Override
        public StoredSession load(String id, boolean lock) {
            return new StoredSession(record, 1, new byte[0], null, null);
        }

        @Override
        public String newId() {
            return "new";
        }

        @Override
        public boolean permanentByDefault() {
            return false;
        }

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public Instant absoluteExpiryOf(Instant created) {
            return null;
        }

        @Override
        public boolean tracksReads() {
            return false;
        }

        @Override
        public <T> T convert(Object value, Type type) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void clearEmptiesTheRequestsAttributesOnly() {
        AttributesCopiedOnRead attributes = attributes();
        attributes.clear();
        assertTrue(attributes.isEmpty());
        assertEquals(Set.of(), attributes.keySet());
        attributes.put("cart", List.of("tea"));
        assertEquals(Map.of("cart", List.of("tea")), attributes);
        assertEquals(pristine, snapshot(kept));
    }

    /** A copy of a map of lists, maps and immutable values, one level deep. */
    private static Map<String, Object> snapshot(Map<String, Object> attributes) {
        Map<String, Object> copy = new LinkedHashMap<>();
        attributes.forEach((key, value) -> copy.put(key, value instanceof List<?> list ? List.copyOf(list)
                : value instanceof Map<?, ?> map ? Map.copyOf(map) : value));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
