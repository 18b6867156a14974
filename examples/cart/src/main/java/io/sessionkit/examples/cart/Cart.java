package io.sessionkit.examples.cart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The items in the cart and how many of each, in the order first added. Kept in the session as a
 * plain map of item name to count, which the JSON store writes as an object: after a round trip
 * the counts come back as numbers of whatever type the serializer chose.
 */
final class Cart {

    /** The session attribute holding the cart. */
    static final String ATTRIBUTE = "cart";
    /** Longest item name kept; longer input is cut. */
    static final int MAX_NAME_LENGTH = 40;

    private final Map<String, Integer> counts;

    private Cart(Map<String, Integer> counts) {
        this.counts = counts;
    }

    /**
     * @param attribute the session attribute's value, or {@code null}
     * @return the cart it holds; empty for {@code null} or anything that is not a cart
     */
    static Cart from(Object attribute) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (attribute instanceof Map<?, ?> stored) {
            stored.forEach((name, count) -> {
                if (name instanceof String item && count instanceof Number number && number.intValue() > 0) {
                    counts.put(item, number.intValue());
                }
            });
        }
        return new Cart(counts);
    }

    /**
     * @param rawName the item name as typed
     * @return whether an item was added: blank names are not
     */
    boolean add(String rawName) {
        String name = clean(rawName);
        if (name.isEmpty()) {
            return false;
        }
        counts.merge(name, 1, Integer::sum);
        return true;
    }

    /**
     * Takes one of the item out; the last one removes the line.
     *
     * @param rawName the item name
     */
    void removeOne(String rawName) {
        counts.computeIfPresent(clean(rawName), (name, count) -> count > 1 ? count - 1 : null);
    }

    Map<String, Integer> items() {
        return Collections.unmodifiableMap(counts);
    }

    int size() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * @return the value to store in the session
     */
    Map<String, Integer> toAttribute() {
        return new LinkedHashMap<>(counts);
    }

    private static String clean(String rawName) {
        String name = rawName == null ? "" : rawName.strip();
        return name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
    }
}
