package io.sessionkit.bench.http;

import io.sessionkit.bench.Cart;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a visitor's session holds in the load test, the same in every mode. Only the cart
 * changes during a run; the other attributes are written once, when the visitor is created.
 */
public enum SessionSize {

    /** A cart of 5 items and nothing else (about 0.4 KB of JSON). */
    CART5("cart5", 5, false),
    /** A cart of 20 items and nothing else (about 1.5 KB of JSON). */
    CART20("cart20", 20, false),
    /**
     * A realistic application's session of about 16 KB of JSON: a CSRF token, flash messages and
     * a signed-in user's profile with nested maps and lists (see {@link ApplicationAttributes}),
     * next to the 20-item cart of {@link #CART20}, so that the cart request writes the same as
     * there and only what it carries along differs.
     */
    APPLICATION_16K("16k", 20, true);

    private final String label;
    private final int cartItems;
    private final boolean application;

    SessionSize(String label, int cartItems, boolean application) {
        this.label = label;
        this.cartItems = cartItems;
        this.application = application;
    }

    /** @return the name bench/http.sh's {@code BENCH_SESSION_SIZE} takes */
    public String label() {
        return label;
    }

    /** @return the items the cart holds; adding one drops the oldest */
    public int cartItems() {
        return cartItems;
    }

    /**
     * @return a new visitor's attributes: a full cart under {@link Cart#ATTRIBUTE} first, then
     *         the application's attributes, if this size has them; a new mutable map each call
     */
    public Map<String, Object> newVisitor() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(Cart.ATTRIBUTE, Cart.full(cartItems));
        if (application) {
            attributes.putAll(ApplicationAttributes.newVisitor());
        }
        return attributes;
    }

    /**
     * @param label a size's label, case-insensitive
     * @return the size
     * @throws IllegalArgumentException naming the sizes, when there is none of that label
     */
    public static SessionSize byLabel(String label) {
        return Stream.of(values())
                .filter(size -> size.label.equals(label.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown session size '" + label + "'; the sizes are "
                        + Stream.of(values()).map(SessionSize::label).collect(Collectors.joining(", "))));
    }
}
