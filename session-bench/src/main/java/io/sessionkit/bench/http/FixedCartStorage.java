package io.sessionkit.bench.http;

import io.sessionkit.bench.Cart;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;
import java.util.Map;

/**
 * No session at all: every visitor sees the same cart and writes are dropped. Measures the
 * servlet, Jetty and the load generator alone, the ceiling no session mode can pass.
 */
final class FixedCartStorage implements CartStorage {

    private final List<Object> cart;

    FixedCartStorage(SessionSize size) {
        this.cart = List.copyOf(Cart.full(size.cartItems()));
    }

    @Override
    public List<?> read(HttpServletRequest request) {
        return cart;
    }

    @Override
    public void create(HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes) {
        // Nowhere to keep it.
    }

    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, List<Object> items) {
        // Nowhere to keep it.
    }
}
