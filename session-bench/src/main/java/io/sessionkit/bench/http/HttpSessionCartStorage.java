package io.sessionkit.bench.http;

import io.sessionkit.bench.Cart;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;

/**
 * The cart as an attribute of {@code request.getSession()}: what a servlet application writes
 * whatever provides the session (Jetty's own, SessionKit's filter, Spring Session's filter).
 */
final class HttpSessionCartStorage implements CartStorage {

    @Override
    public List<?> read(HttpServletRequest request) {
        return (List<?>) request.getSession().getAttribute(Cart.ATTRIBUTE);
    }

    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, List<Object> cart) {
        request.getSession().setAttribute(Cart.ATTRIBUTE, cart);
    }
}
