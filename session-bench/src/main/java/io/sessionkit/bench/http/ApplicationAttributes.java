package io.sessionkit.bench.http;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The attributes a real web application keeps next to the cart, for the
 * {@link SessionSize#APPLICATION_16K} session: a CSRF token, two flash messages and the
 * signed-in user's profile (roles, preferences, addresses, recently viewed articles, saved
 * searches). {@code LinkedHashMap}s, {@code ArrayList}s, strings, numbers and booleans only, so
 * that every serializer under test reads back what it wrote: Spring's
 * {@code GenericJackson2JsonRedisSerializer} writes a {@code List.of} attribute value without the
 * type it needs to read it back.
 */
final class ApplicationAttributes {

    static final String CSRF_TOKEN = "csrfToken";
    static final String FLASH = "flash";
    static final String USER = "user";

    private static final int RECENTLY_VIEWED = 120;
    private static final int SAVED_SEARCHES = 28;
    private static final SecureRandom TOKENS = new SecureRandom();
    private static final String[] CITIES = {"Lyon", "Leipzig", "Porto", "Gdansk", "Utrecht", "Turin"};
    private static final String[] CATEGORIES = {"coffee", "tea", "brewing", "cups", "grinders", "filters"};

    private ApplicationAttributes() {
    }

    /** @return a new visitor's attributes besides the cart, about 14.5 KB as JSON */
    static Map<String, Object> newVisitor() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(CSRF_TOKEN, token(32));
        attributes.put(FLASH, list(
                message("success", "Your address book was updated."),
                message("info", "Free shipping on orders over 49 EUR until the end of the month.")));
        attributes.put(USER, profile(random));
        return attributes;
    }

    private static Map<String, Object> profile(ThreadLocalRandom random) {
        int id = 100_000 + random.nextInt(900_000);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id);
        user.put("login", "customer" + id);
        user.put("displayName", "Customer " + id);
        user.put("email", "customer" + id + "@example.org");
        user.put("locale", "en-GB");
        user.put("timeZone", "Europe/Berlin");
        user.put("authenticatedAt", 1_764_000_000_000L + random.nextInt(1_000_000_000));
        user.put("roles", list("ROLE_USER", "ROLE_CUSTOMER", "ROLE_NEWSLETTER"));
        user.put("preferences", preferences());
        user.put("addresses", list(address("home", random), address("work", random)));
        List<Object> viewed = new ArrayList<>(RECENTLY_VIEWED);
        for (int i = 0; i < RECENTLY_VIEWED; i++) {
            viewed.add(viewedArticle(random));
        }
        user.put("recentlyViewed", viewed);
        List<Object> searches = new ArrayList<>(SAVED_SEARCHES);
        for (int i = 0; i < SAVED_SEARCHES; i++) {
            searches.add(savedSearch(random));
        }
        user.put("savedSearches", searches);
        return user;
    }

    private static Map<String, Object> preferences() {
        Map<String, Object> notifications = new LinkedHashMap<>();
        notifications.put("email", true);
        notifications.put("sms", false);
        notifications.put("orderUpdates", true);
        notifications.put("newsletterTopics", list("new-arrivals", "brewing-guides", "offers"));
        Map<String, Object> preferences = new LinkedHashMap<>();
        preferences.put("currency", "EUR");
        preferences.put("theme", "light");
        preferences.put("itemsPerPage", 24);
        preferences.put("notifications", notifications);
        return preferences;
    }

    private static Map<String, Object> address(String kind, ThreadLocalRandom random) {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("kind", kind);
        address.put("name", "Customer " + kind);
        address.put("street", (1 + random.nextInt(120)) + " Market Street");
        address.put("postalCode", Integer.toString(10_000 + random.nextInt(89_999)));
        address.put("city", CITIES[random.nextInt(CITIES.length)]);
        address.put("country", "DE");
        address.put("default", kind.equals("home"));
        return address;
    }

    private static Map<String, Object> viewedArticle(ThreadLocalRandom random) {
        Map<String, Object> article = new LinkedHashMap<>();
        article.put("sku", "SKU-" + (10_000 + random.nextInt(5_000)));
        article.put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
        article.put("priceCents", 299 + random.nextInt(20_000));
        article.put("viewedAt", 1_764_000_000_000L + random.nextInt(1_000_000_000));
        return article;
    }

    private static Map<String, Object> savedSearch(ThreadLocalRandom random) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
        filters.put("maxPriceCents", 1_000 * (1 + random.nextInt(20)));
        filters.put("inStock", random.nextBoolean());
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("query", "organic " + CATEGORIES[random.nextInt(CATEGORIES.length)] + " " + token(3));
        search.put("filters", filters);
        search.put("savedAt", 1_764_000_000_000L + random.nextInt(1_000_000_000));
        return search;
    }

    private static Map<String, Object> message(String category, String text) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("category", category);
        message.put("message", text);
        return message;
    }

    private static List<Object> list(Object... elements) {
        return new ArrayList<>(Arrays.asList(elements));
    }

    private static String token(int bytes) {
        byte[] value = new byte[bytes];
        TOKENS.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
