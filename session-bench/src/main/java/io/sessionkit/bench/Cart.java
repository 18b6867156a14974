package io.sessionkit.bench;

import io.sessionkit.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shopping cart every benchmark stores: a list of item maps, kept at a fixed number of items
 * ({@link #MAX_ITEMS} unless a benchmark asks for another) by dropping the oldest item when one
 * is added, so that the stored size stays the same however
 * many requests a mode serves (a faster mode must not be punished with bigger sessions).
 *
 * <p>Items are plain maps of strings and numbers, so that every serializer under test
 * (SessionKit's JSON, Spring's {@code GenericJackson2JsonRedisSerializer}, hand-written
 * Jackson) writes and reads the same values without type information of its own.
 */
public final class Cart {

    /** Items a cart holds; adding one more drops the oldest. */
    public static final int MAX_ITEMS = 5;
    /** The session attribute (or JSON document) that holds the cart. */
    public static final String ATTRIBUTE = "cart";

    private static final String[] NAMES = {"Blue mug 350 ml", "Espresso beans 1 kg", "Paper filters x100",
            "Hand grinder", "Milk jug 600 ml", "Tea strainer", "Travel cup 400 ml"};

    private Cart() {
    }

    /**
     * @return a new item with a random article, quantity and price
     */
    public static Map<String, Object> randomItem() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int article = random.nextInt(NAMES.length);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", "SKU-" + (10_000 + article));
        item.put("name", NAMES[article]);
        item.put("quantity", 1 + random.nextInt(3));
        item.put("priceCents", 499 + 250 * article);
        return item;
    }

    /**
     * @return a full cart of {@link #MAX_ITEMS} random items
     */
    public static List<Object> full() {
        return full(MAX_ITEMS);
    }

    /**
     * @param size the number of items
     * @return a cart of {@code size} random items
     */
    public static List<Object> full(int size) {
        List<Object> items = new ArrayList<>(size + 1);
        for (int i = 0; i < size; i++) {
            items.add(randomItem());
        }
        return items;
    }

    /**
     * Returns a new cart with one random item appended and the oldest dropped beyond
     * {@link #MAX_ITEMS}; the given cart is not modified.
     *
     * @param cart the current items, or {@code null} for none
     * @return the new items
     */
    public static List<Object> withOneMore(List<?> cart) {
        return withOneMore(cart, MAX_ITEMS);
    }

    /**
     * The cart request's change: the session's cart with one random item more, the oldest
     * dropped beyond {@code size}, put back into the session.
     *
     * @param session the request's session
     * @param size    the number of items the cart holds
     */
    public static void addOneTo(Session session, int size) {
        session.put(ATTRIBUTE, withOneMore((List<?>) session.get(ATTRIBUTE), size));
    }

    /**
     * Returns a new cart with one random item appended and the oldest dropped beyond
     * {@code size}; the given cart is not modified.
     *
     * @param cart the current items, or {@code null} for none
     * @param size the most items the cart holds
     * @return the new items
     */
    public static List<Object> withOneMore(List<?> cart, int size) {
        List<Object> items = new ArrayList<>(size + 1);
        if (cart != null) {
            items.addAll(cart);
        }
        items.add(randomItem());
        while (items.size() > size) {
            items.remove(0);
        }
        return items;
    }

    /**
     * @param cart the items, or {@code null}
     * @return the sum of quantity times price over the items, in cents
     */
    public static long totalCents(List<?> cart) {
        long total = 0;
        if (cart != null) {
            for (Object entry : cart) {
                if (entry instanceof Map<?, ?> item
                        && item.get("quantity") instanceof Number quantity && item.get("priceCents") instanceof Number price) {
                    total += quantity.longValue() * price.longValue();
                }
            }
        }
        return total;
    }
}
