package io.sessionkit.bench.http;

import io.sessionkit.bench.Cart;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The one servlet every mode serves, mapped to {@code /cart/*} and {@code /ping}:
 * <ul>
 *   <li>{@code POST /cart/add}: read the cart, append an item (dropping the oldest beyond
 *       the {@link SessionSize}'s cart size), write it back: the modifying request;</li>
 *   <li>{@code GET /cart}: read the cart and answer its total: the read-only request;</li>
 *   <li>{@code GET /ping}: answer without looking at the session: the untouched request;</li>
 *   <li>{@code GET /cart/seed}: store a new visitor's session of the chosen size, its cart full
 *       (preparing the run).</li>
 * </ul>
 */
final class CartServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient CartStorage storage;
    private final SessionSize size;

    CartServlet(CartStorage storage, SessionSize size) {
        this.storage = storage;
        this.size = size;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        switch (path) {
            case "/ping" -> answer(response, "{\"pong\":true}");
            case "/cart" -> answer(response, nonNull(storage.read(request)));
            case "/cart/seed" -> {
                Map<String, Object> attributes = size.newVisitor();
                storage.create(request, response, attributes);
                answer(response, (List<?>) attributes.get(Cart.ATTRIBUTE));
            }
            default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/cart/add".equals(request.getRequestURI())) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        List<Object> cart = Cart.withOneMore(storage.read(request), size.cartItems());
        storage.write(request, response, cart);
        answer(response, cart);
    }

    private static List<?> nonNull(List<?> cart) {
        return cart == null ? List.of() : cart;
    }

    private static void answer(HttpServletResponse response, List<?> cart) throws IOException {
        answer(response, "{\"items\":" + cart.size() + ",\"totalCents\":" + Cart.totalCents(cart) + "}");
    }

    private static void answer(HttpServletResponse response, String json) throws IOException {
        response.setContentType("application/json");
        response.getWriter().write(json);
    }
}
