package io.sessionkit.bench.http;

import io.sessionkit.bench.Cart;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.util.List;
import java.util.Map;

/**
 * The cart as an attribute of {@code request.getSession()}: what a servlet application writes
 * whatever provides the session (Jetty's own, SessionKit's filter, Spring Session's filter). A
 * new visitor's attributes are set one by one; the cart request sets the cart attribute alone.
 */
final class HttpSessionCartStorage implements CartStorage {

    @Override
    public List<?> read(HttpServletRequest request) {
        return (List<?>) request.getSession().getAttribute(Cart.ATTRIBUTE);
    }

    @Override
    public void create(HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes) {
        HttpSession session = request.getSession();
        attributes.forEach(session::setAttribute);
    }

    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, List<Object> cart) {
        request.getSession().setAttribute(Cart.ATTRIBUTE, cart);
    }
}
