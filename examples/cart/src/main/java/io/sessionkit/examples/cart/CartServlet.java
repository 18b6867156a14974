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
 * repeats a change. A form posted by another site's page is refused (403).
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
        if (fromAnotherSite(request)) {
            // A page on another site can post these forms with the visitor's session cookie, which
            // the browser sends unless the cookie is SameSite (SESSION_COOKIE_SAMESITE is unset here).
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "This form was posted from another site's page,"
                    + " which this demo refuses; submit it from the demo's own page instead");
            return;
        }
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

    /**
     * Whether the browser says the form was posted by a page of another site: its
     * {@code Sec-Fetch-Site} header where it sends one, else an {@code Origin} naming another host
     * than the one the request was sent to (the scheme is left out: a proxy in front may end TLS).
     * A client that sends neither header is not a browser following another site's form.
     */
    private static boolean fromAnotherSite(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            return !fetchSite.equals("same-origin") && !fetchSite.equals("none");
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        int hostStart = origin.indexOf("://");
        return hostStart < 0 || !origin.substring(hostStart + 3).equalsIgnoreCase(request.getHeader("Host"));
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
