package io.sessionkit.examples.cart;

import io.sessionkit.SessionCapabilityException;
import io.sessionkit.SessionSummary;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The cart application, written against the plain servlet API: {@code GET /} shows the page;
 * {@code POST /add}, {@code /remove}, {@code /login} and {@code /logout} change the session,
 * {@code POST /end-session} and {@code /end-other-sessions} end the logged-in user's other
 * sessions through the engine; each redirects back (post/redirect/get), so reloading never
 * repeats a change.
 */
final class CartServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String USER = CartServer.USER_ATTRIBUTE;
    static final int SHOWN_ID_CHARACTERS = 8;

    private final String storeType;
    private final transient SessionInterface sessions;

    CartServlet(String storeType, SessionInterface sessions) {
        this.storeType = storeType;
        this.sessions = sessions;
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
        UserSessions userSessions = user == null ? null : userSessions(user, session.getId());
        response.getWriter().write(new CartPage(user, cart, idPrefix, storeType, userSessions).render());
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
            case "/end-session" -> endSession(request.getSession(false), request.getParameter("session"));
            case "/end-other-sessions" -> {
                HttpSession session = request.getSession(false);
                String user = session == null ? null : (String) session.getAttribute(USER);
                if (user != null) {
                    sessions.revokeAllExcept(user, session.getId());
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

    /** The user's sessions as the store's principal index lists them, or why it cannot. */
    private UserSessions userSessions(String user, String currentId) {
        try {
            return new UserSessions(sessions.sessionsOf(user), currentId, null);
        } catch (SessionCapabilityException e) {
            return new UserSessions(List.of(), currentId, "The " + storeType + " store keeps no index of a user's sessions,"
                    + " so they cannot be listed here.");
        }
    }

    /**
     * Ends one of the user's other sessions, named by the first characters of its id as the page
     * shows them: the page never carries a whole id, which would let a script on it take the
     * session over.
     */
    private void endSession(HttpSession session, String idPrefix) {
        String user = session == null ? null : (String) session.getAttribute(USER);
        if (user == null || idPrefix == null || idPrefix.length() != SHOWN_ID_CHARACTERS) {
            return;
        }
        List<SessionSummary> matching = sessions.sessionsOf(user).stream()
                .filter(other -> other.id().startsWith(idPrefix) && !other.id().equals(session.getId()))
                .toList();
        if (matching.size() == 1) {
            sessions.revoke(matching.get(0).id());
        }
    }
}
