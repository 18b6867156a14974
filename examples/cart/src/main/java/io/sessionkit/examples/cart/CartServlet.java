package io.sessionkit.examples.cart;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The cart application, written against the plain servlet API: {@code GET /} shows the page;
 * {@code POST /add}, {@code /remove}, {@code /login} and {@code /logout} change the session and
 * redirect back (post/redirect/get), so reloading never repeats a change.
 */
final class CartServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String USER = "user";
    private static final int SHOWN_ID_CHARACTERS = 8;

    private final String storeType;

    CartServlet(String storeType) {
        this.storeType = storeType;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/".equals(request.getRequestURI())) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        // getSession(false): a first visit shows the page without creating or storing anything.
        HttpSession session = request.getSession(false);
        Cart cart = Cart.from(session == null ? null : session.getAttribute(Cart.ATTRIBUTE));
        String user = session == null ? null : (String) session.getAttribute(USER);
        String idPrefix = session == null ? null : session.getId().substring(0, SHOWN_ID_CHARACTERS);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.getWriter().write(new CartPage(user, cart, idPrefix, storeType).render());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        switch (request.getRequestURI()) {
            case "/add" -> {
                HttpSession session = request.getSession();
                Cart cart = Cart.from(session.getAttribute(Cart.ATTRIBUTE));
                if (cart.add(request.getParameter("item"))) {
                    session.setAttribute(Cart.ATTRIBUTE, cart.toAttribute());
                }
            }
            case "/remove" -> {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    Cart cart = Cart.from(session.getAttribute(Cart.ATTRIBUTE));
                    cart.removeOne(request.getParameter("item"));
                    session.setAttribute(Cart.ATTRIBUTE, cart.toAttribute());
                }
            }
            case "/login" -> {
                String name = request.getParameter("name") == null ? "" : request.getParameter("name").strip();
                if (!name.isEmpty()) {
                    request.getSession();
                    // A new id on every change of privilege: an id planted beforehand becomes worthless.
                    request.changeSessionId();
                    request.getSession().setAttribute(USER, name.length() > 40 ? name.substring(0, 40) : name);
                }
            }
            case "/logout" -> {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
            }
            default -> {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", "/");
    }
}
