package io.sessionkit.examples.cart;

import io.sessionkit.SessionSummary;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;

import static io.sessionkit.examples.cart.Html.escape;

/**
 * The demo's one page, rendered on the server: every value from the session or the user passes
 * through {@link Html#escape}.
 *
 * @param user       the logged-in name, or {@code null}
 * @param cart       the cart
 * @param idPrefix   the first characters of the session id, or {@code null} when there is none
 * @param storeType  the {@code SESSION_TYPE} in use
 * @param sessions   the logged-in user's sessions, or {@code null} when nobody is logged in
 */
record CartPage(String user, Cart cart, String idPrefix, String storeType, UserSessions sessions) {

    String render() {
        StringBuilder html = new StringBuilder(2048);
        html.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>SessionKit cart</title>
                <style>
                  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }
                  li form { display: inline; }
                  .meta { color: #666; font-size: 0.9em; }
                </style>
                </head>
                <body>
                <h1>SessionKit cart</h1>
                """);
        if (user == null) {
            html.append("""
                    <form method="post" action="/login">
                      <label>Name <input name="name" maxlength="40" required></label>
                      <button>Log in</button>
                    </form>
                    """);
        } else {
            html.append("<p>Logged in as <strong>").append(escape(user)).append("</strong></p>\n")
                    .append("<form method=\"post\" action=\"/logout\"><button>Log out</button></form>\n");
            renderSessions(html);
        }
        html.append("<h2>Cart (").append(cart.size()).append(")</h2>\n");
        if (cart.items().isEmpty()) {
            html.append("<p>The cart is empty.</p>\n");
        } else {
            html.append("<ul>\n");
            for (Map.Entry<String, Integer> line : cart.items().entrySet()) {
                html.append("<li>").append(escape(line.getKey())).append(" &times; ").append(line.getValue())
                        .append(" <form method=\"post\" action=\"/remove\"><input type=\"hidden\" name=\"item\" value=\"")
                        .append(escape(line.getKey())).append("\"><button>Remove one</button></form></li>\n");
            }
            html.append("</ul>\n");
        }
        html.append("""
                <form method="post" action="/add">
                  <label>Item <input name="item" maxlength="40" required></label>
                  <button>Add</button>
                </form>
                """);
        html.append("<p class=\"meta\">Backend: <code>SESSION_TYPE=").append(escape(storeType)).append("</code>. ")
                .append(idPrefix == null ? "No session yet."
                        : "Session id starts <code>" + escape(idPrefix) + "</code>; it changes when you log in.")
                .append(" Logging out ends the session and empties the cart.</p>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** "Your sessions": each of the user's sessions by the first characters of its id, and buttons to end the others. */
    private void renderSessions(StringBuilder html) {
        html.append("<h2>Your sessions</h2>\n");
        if (sessions.unavailable() != null) {
            html.append("<p>").append(escape(sessions.unavailable())).append("</p>\n");
            return;
        }
        html.append("<ul class=\"sessions\">\n");
        boolean others = false;
        for (SessionSummary session : sessions.sessions().stream()
                .sorted(Comparator.comparing(SessionSummary::created, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList()) {
            String prefix = session.id().substring(0, CartServlet.SHOWN_ID_CHARACTERS);
            html.append("<li><code>").append(escape(prefix)).append("</code> created ").append(time(session.created()))
                    .append(", expires ").append(time(session.expiresAt()));
            if (session.id().equals(sessions.currentId())) {
                html.append(" <strong>(this session)</strong>");
            } else {
                others = true;
                html.append(" <form method=\"post\" action=\"/end-session\"><input type=\"hidden\" name=\"session\" value=\"")
                        .append(escape(prefix)).append("\"><button>End</button></form>");
            }
            html.append("</li>\n");
        }
        html.append("</ul>\n");
        if (others) {
            html.append("<form method=\"post\" action=\"/end-other-sessions\"><button>End all other sessions</button></form>\n");
        }
    }

    private static String time(Instant instant) {
        return instant == null ? "?" : escape(instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' '));
    }
}
