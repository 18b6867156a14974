package io.sessionkit.bench.jmh;

import io.sessionkit.bench.Cart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session contents the serializer benchmarks encode and decode, at three sizes:
 * <ul>
 *   <li>{@code cart5}: a login, a CSRF token and the benchmarks' full 5-item cart, about 500
 *       bytes of JSON, what the engine and HTTP benchmarks store;</li>
 *   <li>{@code cart20}: the same with 20 items, about 1.7 KB;</li>
 *   <li>{@code app16k}: a shop's session, about 16 KB: CSRF token, flash messages, a user
 *       profile of nested maps and lists, a 20-item cart, a checkout in progress and the pages
 *       recently viewed.</li>
 * </ul>
 * Items have {@link Cart}'s shape but are fixed rather than random, so that every run and every
 * format encodes the same values and the stored sizes can be compared.
 */
final class SessionPayloads {

    /** The sizes, as the benchmarks' {@code size} parameter takes them. */
    static final List<String> SIZES = List.of("cart5", "cart20", "app16k");

    private static final String[] NAMES = {"Blue mug 350 ml", "Espresso beans 1 kg", "Paper filters x100",
            "Hand grinder", "Milk jug 600 ml", "Tea strainer", "Travel cup 400 ml"};

    private SessionPayloads() {
    }

    /**
     * @param size one of {@link #SIZES}
     * @return fresh, mutable attributes of that size
     */
    static Map<String, Object> of(String size) {
        return switch (size) {
            case "cart5" -> login(Cart.MAX_ITEMS);
            case "cart20" -> login(20);
            case "app16k" -> app();
            default -> throw new IllegalArgumentException("payload size must be one of " + SIZES + ", not " + size);
        };
    }

    /**
     * @param size one of {@link #SIZES}
     * @return the JSON size, in bytes, the payload is meant to have
     */
    static int intendedJsonBytes(String size) {
        return switch (size) {
            case "cart5" -> 500;
            case "cart20" -> 1_700;
            case "app16k" -> 16_000;
            default -> throw new IllegalArgumentException("payload size must be one of " + SIZES + ", not " + size);
        };
    }

    static Map<String, Object> item(int i) {
        int article = i % NAMES.length;
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", "SKU-" + (10_000 + article));
        item.put("name", NAMES[article]);
        item.put("quantity", 1 + i % 3);
        item.put("priceCents", 499 + 250 * article);
        return item;
    }

    private static List<Object> cart(int items) {
        List<Object> cart = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            cart.add(item(i));
        }
        return cart;
    }

    private static Map<String, Object> login(int items) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user_id", 48_213);
        attributes.put("csrf_token", "f1d3c0a9b8e7d6c5b4a3928170f6e5d4");
        attributes.put("locale", "en-GB");
        attributes.put(Cart.ATTRIBUTE, cart(items));
        return attributes;
    }

    private static Map<String, Object> app() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user_id", 48_213);
        attributes.put("csrf_token", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        attributes.put("locale", "en-GB");
        attributes.put("time_zone", "Europe/London");
        attributes.put("_flashes", List.of(
                List.of("success", "Your address has been saved."),
                List.of("info", "Orders placed before 2 pm ship today."),
                List.of("warning", "Travel cup 400 ml: only 3 left in stock.")));
        attributes.put("profile", profile());
        attributes.put(Cart.ATTRIBUTE, cart(20));
        Map<String, Object> checkout = new LinkedHashMap<>();
        checkout.put("step", "shipping");
        checkout.put("shippingMethod", "standard");
        checkout.put("couponCodes", List.of("WELCOME10"));
        checkout.put("giftWrap", false);
        checkout.put("startedAt", 1_764_806_400_000L);
        attributes.put("checkout", checkout);
        List<Object> viewed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> visit = new LinkedHashMap<>();
            visit.put("path", "/catalogue/coffee/item-" + (1000 + i * 37 % 500));
            visit.put("at", 1_764_806_400_000L + 7_919L * i);
            visit.put("referrer", i % 3 == 0 ? null : "/search?q=beans&page=" + i % 7);
            viewed.add(visit);
        }
        attributes.put("recently_viewed", viewed);
        return attributes;
    }

    private static Map<String, Object> profile() {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", 48_213);
        profile.put("username", "ada.lovelace");
        profile.put("displayName", "Ada Lovelace");
        profile.put("email", "ada.lovelace@example.org");
        profile.put("emailVerified", true);
        profile.put("roles", List.of("customer", "newsletter", "beta-tester"));
        Map<String, Object> preferences = new LinkedHashMap<>();
        preferences.put("theme", "dark");
        preferences.put("currency", "GBP");
        preferences.put("pageSize", 48);
        preferences.put("notifications", Map.of("email", true, "sms", false, "push", true));
        profile.put("preferences", preferences);
        List<Object> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("label", i == 0 ? "home" : "work " + i);
            address.put("line1", (12 + i) + " St James's Square");
            address.put("line2", i % 2 == 0 ? null : "Floor " + (2 + i));
            address.put("city", "London");
            address.put("postcode", "SW1Y 4J" + (char) ('A' + i));
            address.put("country", "GB");
            address.put("default", i == 0);
            addresses.add(address);
        }
        profile.put("addresses", addresses);
        List<Object> orders = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("number", "SO-" + (202_500 + i * 17));
            order.put("placedAt", 1_735_000_000_000L + 86_400_000L * 9 * i);
            order.put("status", i == 0 ? "shipped" : "delivered");
            order.put("totalCents", 1_998 + 731 * i);
            order.put("items", List.of(item(i), item(i + 3)));
            orders.add(order);
        }
        profile.put("recentOrders", orders);
        return profile;
    }
}
