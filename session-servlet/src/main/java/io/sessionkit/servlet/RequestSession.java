package io.sessionkit.servlet;

import io.sessionkit.Session;
import io.sessionkit.SessionException;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.util.Enumeration;
import java.util.List;

/**
 * The session state of one request: the cookie values sent, the engine session opened from
 * them on first use, its {@link HttpSession} view, and whether it has been saved.
 *
 * <p>Nothing happens until the application asks for its session: a request that never does
 * costs no cookie parsing and no store round trip. The session is saved exactly once, at the
 * first of the response's commit points or at the end of the filter chain.
 */
final class RequestSession {

    /** Request attribute holding this object; internal, reached through {@link SessionKitFilter#session}. */
    static final String ATTRIBUTE = RequestSession.class.getName();

    private final SessionInterface sessions;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final MaxInactiveIntervalWarning maxInactiveIntervalWarning;

    private List<String> cookieValues;
    private Session session;
    private SessionKitHttpSession httpSession;
    private boolean saveAttempted;
    private SaveResult written;
    private SessionException saveFailure;

    /**
     * @param sessions the engine
     * @param request  the container's request, whose cookies are read
     * @param response the container's response, which receives the cookie headers
     * @param warning  shared by every request of one filter, so the warning is logged once
     */
    RequestSession(SessionInterface sessions, HttpServletRequest request, HttpServletResponse response,
                   MaxInactiveIntervalWarning warning) {
        this.sessions = sessions;
        this.request = request;
        this.response = response;
        this.maxInactiveIntervalWarning = warning;
    }

    private List<String> cookieValues() {
        if (cookieValues == null) {
            Enumeration<String> headers = request.getHeaders("Cookie");
            cookieValues = sessions.cookieValues(headers == null ? null : headers.asIterator());
        }
        return cookieValues;
    }

    /**
     * @return the engine session, opened on first call; its store load is lazy
     */
    Session session() {
        if (session == null) {
            session = sessions.openFromCookies(cookieValues());
        }
        return session;
    }

    /**
     * {@link HttpServletRequest#getSession(boolean)}.
     *
     * @param create whether to create a session when there is none
     * @return the session view, or {@code null} when {@code create} is false and the browser sent
     *         no cookie naming a stored session (no store call at all when it sent no cookie)
     */
    HttpSession httpSession(boolean create) {
        if (httpSession != null && !httpSession.isInvalidated()) {
            return httpSession;
        }
        if (!create && !exists()) {
            return null;
        }
        httpSession = new SessionKitHttpSession(session(), request.getServletContext(),
                sessions.config().lifetime(), maxInactiveIntervalWarning);
        return httpSession;
    }

    private boolean exists() {
        if (httpSession != null) {
            return false; // it was invalidated during this request
        }
        if (session == null && cookieValues().isEmpty()) {
            return false;
        }
        Session current = session();
        return !current.isNew() || current.isModified();
    }

    /**
     * {@link HttpServletRequest#changeSessionId()}.
     *
     * @return the new id
     */
    String changeSessionId() {
        if (httpSession(false) == null) {
            throw new IllegalStateException("changeSessionId() needs a session, but this request has none;"
                    + " call request.getSession() first");
        }
        session.regenerate();
        return session.id();
    }

    /**
     * @return the cookie value the browser sent (signed form when {@code SESSION_USE_SIGNER}), or
     *         {@code null}
     */
    String requestedSessionId() {
        List<String> values = cookieValues();
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * @return whether the browser's cookie names a stored session that this request has not
     *         invalidated
     */
    boolean isRequestedSessionIdValid() {
        if (cookieValues().isEmpty()) {
            return false;
        }
        return !session().isNew() && (httpSession == null || !httpSession.isInvalidated());
    }

    /**
     * Saves the session and writes its headers, unless that was already attempted: called at
     * every commit point, acts at the first.
     *
     * @throws SessionException when the store fails or the session is too large; remembered
     *                          for the filter, so that it still answers with an error page when
     *                          the application swallowed the exception
     */
    void saveBeforeCommit() {
        if (saveAttempted) {
            return;
        }
        saveAttempted = true;
        if (session == null) {
            return;
        }
        try {
            written = sessions.save(session);
        } catch (SessionException e) {
            saveFailure = e;
            throw e;
        }
        writeHeaders();
    }

    /**
     * Saves at the end of the filter chain, unless a commit point already tried.
     *
     * @return the failure of this save, or {@code null}
     */
    SessionException saveAtEnd() {
        try {
            saveBeforeCommit();
            return null;
        } catch (SessionException e) {
            return e;
        }
    }

    boolean saveAttempted() {
        return saveAttempted;
    }

    /**
     * @return the save failure the application may have swallowed, or {@code null}
     */
    SessionException saveFailure() {
        return saveFailure;
    }

    /**
     * Writes the saved session's headers again after {@link HttpServletResponse#reset()}
     * removed them.
     */
    void rewriteHeadersAfterReset() {
        if (written != null) {
            writeHeaders();
        }
    }

    private void writeHeaders() {
        if (written.setCookieHeader() != null) {
            response.addHeader("Set-Cookie", written.setCookieHeader());
            keepOutOfSharedCaches(response);
        }
        if (written.varyCookie() && !variesByCookie(response)) {
            response.addHeader("Vary", "Cookie");
        }
    }

    /**
     * A response that sets or deletes the session cookie is one user's: a shared cache (a CDN, a
     * proxy) that stored it would hand that cookie, and so that login, to the next visitor.
     * {@code private} forbids that while still letting the browser cache; an application's own
     * {@code private} or {@code no-store} is kept, and its {@code public} is overruled.
     */
    private static void keepOutOfSharedCaches(HttpServletResponse response) {
        String current = response.getHeader("Cache-Control");
        if (current == null || current.isBlank()) {
            response.setHeader("Cache-Control", "private");
            return;
        }
        StringBuilder directives = new StringBuilder("private");
        for (String token : current.split(",")) {
            String directive = token.trim();
            String name = directive.toLowerCase(java.util.Locale.ROOT);
            if (name.equals("private") || name.equals("no-store")) {
                return;
            }
            if (!directive.isEmpty() && !name.equals("public") && !name.startsWith("s-maxage")) {
                directives.append(", ").append(directive);
            }
        }
        response.setHeader("Cache-Control", directives.toString());
    }

    private static boolean variesByCookie(HttpServletResponse response) {
        for (String vary : response.getHeaders("Vary")) {
            for (String token : vary.split(",")) {
                String name = token.trim();
                if (name.equalsIgnoreCase("Cookie") || name.equals("*")) {
                    return true;
                }
            }
        }
        return false;
    }
}
