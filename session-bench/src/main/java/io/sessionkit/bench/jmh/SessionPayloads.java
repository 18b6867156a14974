package io.sessionkit.bench.jmh;

import io.sessionkit.bench.Cart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session contents the serializer benchmarks encode and decode: a small session (a login
 * and a one-item cart, about 200 bytes of JSON) and a large one (a long cart and browsing
 * history, about 50 KB).
 */
final class SessionPayloads {

    private SessionPayloads() {
    }

    /**
     * @param size {@code small} or {@code large}
     * @return fresh attributes of that size
     */
    static Map<String, Object> of(String size) {
        return switch (size) {
            case "small" -> small();
            case "large" -> large();
            default -> throw new IllegalArgumentException("payload size must be small or large, not " + size);
        };
    }

    private static Map<String, Object> small() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user_id", 48_213);
        attributes.put("csrf_token", "f1d3c0a9b8e7d6c5b4a3928170f6e5d4");
        attributes.put("locale", "en-GB");
        List<Object> cart = new ArrayList<>();
        cart.add(Cart.randomItem());
        attributes.put(Cart.ATTRIBUTE, cart);
        return attributes;
    }

    private static Map<String, Object> large() {
        Map<String, Object> attributes = small();
        List<Object> cart = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            cart.add(Cart.randomItem());
        }
        attributes.put(Cart.ATTRIBUTE, cart);
        List<Object> history = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            Map<String, Object> visit = new LinkedHashMap<>();
            visit.put("path", "/catalogue/coffee/item-" + (1000 + i));
            visit.put("at", 1_735_000_000_000L + 7_919L * i);
            visit.put("referrer", i % 3 == 0 ? null : "/search?q=beans&page=" + i % 7);
            history.add(visit);
        }
        attributes.put("history", history);
        return attributes;
    }
}
