package io.sessionkit.servlet;

import io.sessionkit.Session;
import io.sessionkit.SessionException;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionEngineObserver;
import io.sessionkit.core.SessionInterface;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.util.Enumeration;
import java.util.List;

/**
 * The session state of one request: the cookie values sent, the engine session opened from
 * them on first use, the {@link CommitAwareSession} and {@link HttpSession} views the
 * application holds, and whether the session has been saved.
 *
 * <p>Nothing happens until the application asks for its session: a request that never does
 * costs no cookie parsing and no round trip to the backend. The session is loaded at most once, and
 * saved exactly once, at the first of the response's commit points or at the end of the filter
 * chain. After that point no header can be sent: {@link #invalidate()} deletes the stored
 * session at once, without a cookie, and {@link #regenerate()} is refused. Whatever happened,
 * {@link #release()} frees the session's {@code SESSION_LOCKING} lock when the request ends.
 */
final class RequestSession {

    /** Request attribute holding this object; internal, reached through {@link SessionKitFilter#session}. */
    static final String ATTRIBUTE = RequestSession.class.getName();

    private final SessionInterface sessions;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    /** {@code SESSION_ID_HEADER}, or {@code null} when the cookie alone carries the id. */
    private final String idHeader;

    private List<String> cookieValues;
    /** The engine's session, the one {@link SessionInterface#save} takes; null until first needed. */
    private Session engineSession;
    private boolean withoutLock;
    private boolean loaded;
    private SessionException loadFailure;
    private CommitAwareSession session;
    private SessionKitHttpSession httpSession;
    private boolean saveAttempted;
    private SaveResult written;
    private SessionException saveFailure;
    private volatile boolean changedAfterSave;
    /** Set by whichever ends the request first: the filter when the chain returns, or the async request's end. */
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param sessions the engine
     * @param request  the container's request, whose cookies are read
     * @param response the container's response, which receives the cookie headers
     */
    RequestSession(SessionInterface sessions, HttpServletRequest request, HttpServletResponse response) {
        this.sessions = sessions;
        this.request = request;
        this.response = response;
        this.idHeader = sessions.config().idHeader().orElse(null);
    }

    /** The session id values the request sent, in its cookie or {@code SESSION_ID_HEADER} header. */
    private List<String> cookieValues() {
        if (cookieValues == null) {
            Enumeration<String> idHeaders = idHeader == null ? null : request.getHeaders(idHeader);
            Enumeration<String> cookies = request.getHeaders("Cookie");
            cookieValues = sessions.idValues(idHeaders == null ? null : idHeaders.asIterator(),
                    cookies == null ? null : cookies.asIterator());
        }
        return cookieValues;
    }

    /**
     * @return the request's session cookie values, which are as good as the user's login, for
     *         cutting out of log lines (the session's id is not asked for: that could load it)
     */
    String[] credentials() {
        return cookieValues().toArray(String[]::new);
    }

    /** @return the engine's observer, which hears of the answers the filter decides */
    SessionEngineObserver observer() {
        return sessions.observer();
    }

    /**
     * @return the request's session as the application sees it; costs nothing until it is used
     */
    Session session() {
        if (session == null) {
            session = new CommitAwareSession(this);
        }
        return session;
    }

    /**
     * Marks the request as one that only reads its session: with {@code SESSION_LOCKING} it takes
     * no lock.
     *
     * @throws IllegalStateException when the request has used its session already
     */
    void withoutLock() {
        if (engineSession != null) {
            throw new IllegalStateException("SessionKitFilter.withoutLock(request) must be called before the request"
                    + " first uses its session; this one has already read it (and taken its lock, with SESSION_LOCKING)");
        }
        withoutLock = true;
    }

    /**
     * @return the engine session, or {@code null} when the request has not used its session
     */
    Session openedOrNull() {
        return engineSession;
    }

    /**
     * The engine session, read from the backend (and locked, with {@code SESSION_LOCKING}) on the
     * first call.
     *
     * @throws SessionException when that read failed, then or at an earlier call: a failed
     *                          read is not repeated, so a lock is not waited for twice
     */
    Session loaded() {
        if (loadFailure != null) {
            throw loadFailure;
        }
        if (!loaded) {
            try {
                if (engineSession == null) {
                    engineSession = withoutLock ? sessions.openWithoutLock(cookieValues())
                            : sessions.openFromCookies(cookieValues());
                }
                engineSession.isNew(); // the first use: the backend read
                loaded = true;
            } catch (SessionException e) {
                loadFailure = e;
                throw e;
            }
        }
        return engineSession;
    }

    /**
     * {@link HttpServletRequest#getSession(boolean)}.
     *
     * @param create whether to create a session when there is none
     * @return the session view, or {@code null} when {@code create} is false and the browser sent
     *         no cookie naming a stored session (no backend call at all when it sent no cookie)
     */
    HttpSession httpSession(boolean create) {
        if (httpSession != null && !httpSession.isInvalidated()) {
            return httpSession;
        }
        if (!create && !exists()) {
            return null;
        }
        httpSession = new SessionKitHttpSession(session(), request.getServletContext(),
                sessions.config().lifetime(), sessions.config().clock());
        return httpSession;
    }

    private boolean exists() {
        if (httpSession != null) {
            return false; // it was invalidated during this request
        }
        if (engineSession == null && cookieValues().isEmpty()) {
            return false;
        }
        Session current = session();
        return !current.isNew() || current.isModified();
    }

    /**
     * {@link HttpServletRequest#changeSessionId()}.
     *
     * @return the new id
     * @throws IllegalStateException after the commit point, or when the request has no session
     */
    String changeSessionId() {
        requireCookieCanBeSent("changeSessionId()");
        if (httpSession(false) == null) {
            throw new IllegalStateException("changeSessionId() needs a session, but this request has none;"
                    + " call request.getSession() first");
        }
        regenerate();
        return loaded().id();
    }

    /**
     * {@link Session#regenerate()} of the application's session.
     *
     * @throws IllegalStateException after the commit point
     */
    void regenerate() {
        requireCookieCanBeSent("regenerate()");
        loaded().regenerate();
    }

    private void requireCookieCanBeSent(String method) {
        if (saveAttempted) {
            throw new IllegalStateException(method + " after the response's commit point (a flush, a redirect, sendError,"
                    + " a full buffer): the session was saved and its headers sent with the response, so the cookie with"
                    + " a new id could no longer reach the browser; the id stays as it is. Change the id before writing"
                    + " the response; see docs/servlet.md");
        }
    }

    /**
     * {@link Session#invalidate()} of the application's session. Before the commit point the
     * save does the rest; after it, the stored session is deleted at once. No cookie can be
     * sent any more, so the browser keeps one that names no session.
     *
     * @throws SessionException when that deletion fails; remembered for the filter, which logs it
     */
    void invalidate() {
        loaded().invalidate();
        if (saveAttempted) {
            try {
                sessions.save(engineSession); // deletes what the commit point's save stored; its headers are dropped
            } catch (SessionException e) {
                if (saveFailure == null) {
                    saveFailure = e;
                }
                throw e;
            }
        }
    }

    /**
     * @return the id value the client sent in the cookie or the id header (the signed form when
     *         {@code SESSION_USE_SIGNER}), or {@code null}
     */
    String requestedSessionId() {
        List<String> values = cookieValues();
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * @return whether the requested id came from the session cookie rather than the
     *         {@code SESSION_ID_HEADER} header
     */
    boolean isRequestedSessionIdFromCookie() {
        if (requestedSessionId() == null || !sessions.config().idInCookie()) {
            return false;
        }
        if (idHeader == null) {
            return true;
        }
        Enumeration<String> idHeaders = request.getHeaders(idHeader);
        return idHeaders == null || sessions.idValues(idHeaders.asIterator(), null).isEmpty();
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
     * @throws SessionException when the backend fails or the session is too large; remembered
     *                          for the filter, so that it still answers with an error page when
     *                          the application swallowed the exception
     */
    void saveBeforeCommit() {
        if (saveAttempted) {
            return;
        }
        saveAttempted = true;
        if (engineSession == null) {
            return;
        }
        try {
            if (loadFailure != null) {
                throw loadFailure; // the session never loaded: nothing to save, and the request failed
            }
            written = sessions.save(engineSession);
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

    /** No commit point saves from now on: the request ended without its save. */
    void abandonSave() {
        saveAttempted = true;
    }

    /** Called before every change to the session: one made after the save can no longer be stored. */
    void noteChange() {
        if (saveAttempted) {
            changedAfterSave = true;
        }
    }

    /** @return whether the application changed the session after its save */
    boolean changedAfterSave() {
        return changedAfterSave;
    }

    /**
     * @return whether the application changed the session where the change could not be saved:
     *         after the save, or in a request that ended without one (an async request completed
     *         through the container's own {@code AsyncContext})
     */
    boolean changesLost() {
        return changedAfterSave || (!saveAttempted && engineSession != null && engineSession.isModified());
    }

    /**
     * Claims the end of the request: {@code true} for the first caller only, so that the session
     * is saved and answered for once when the filter and an async request's end both get there.
     */
    boolean finishOnce() {
        return finished.compareAndSet(false, true);
    }

    /** Whether the request's end has been handled: saved, answered, released. */
    boolean finished() {
        return finished.get();
    }

    /**
     * @return the save failure the application may have swallowed, or {@code null}
     */
    SessionException saveFailure() {
        return saveFailure;
    }

    /**
     * Frees the session's {@code SESSION_LOCKING} lock, whether or not it was saved: a request
     * that failed before its save (an error answered, an application exception) must not leave
     * its session locked until the lease runs out. Nothing to do for a session never used, a
     * session without a lock, or one whose save released it already.
     */
    void release() {
        if (engineSession != null) {
            sessions.release(engineSession);
        }
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
        }
        if (written.idHeaderValue() != null) {
            response.setHeader(idHeader, written.idHeaderValue());
        }
        if (written.setCookieHeader() != null || written.idHeaderValue() != null) {
            keepOutOfSharedCaches(response);
        }
        if (written.vary()) {
            if (sessions.config().idInCookie()) {
                addVary("Cookie");
            }
            if (idHeader != null) {
                addVary(idHeader);
            }
        }
    }

    private void addVary(String header) {
        if (!variesBy(response, header)) {
            response.addHeader("Vary", header);
        }
    }

    /**
     * A response that sends or ends the session id (in the cookie or the id header) is one
     * user's: a shared cache (a CDN, a proxy) that stored it would hand that id, and so that
     * login, to the next visitor.
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

    private static boolean variesBy(HttpServletResponse response, String header) {
        for (String vary : response.getHeaders("Vary")) {
            for (String token : vary.split(",")) {
                String name = token.trim();
                if (name.equalsIgnoreCase(header) || name.equals("*")) {
                    return true;
                }
            }
        }
        return false;
    }
}
