package io.sessionkit.servlet;

import io.sessionkit.Session;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The {@link HttpSession} view of a SessionKit {@link Session}, valid for one request.
 *
 * <p>Attributes are the session's entries; values come back from the store in their JSON form
 * (a record put in one request is a {@code Map} in the next: use
 * {@link Session#get(String, Class)} through {@link SessionKitFilter#session} to read it back
 * typed). SessionKit does not record when a session was created or last used, so both times are
 * the moment this request first asked for its session. After {@link #invalidate()} every method
 * but {@code getId}, {@code getServletContext} and the max-inactive-interval pair throws
 * {@link IllegalStateException}, as the servlet specification requires.
 */
final class SessionKitHttpSession implements HttpSession {

    private final Session session;
    private final ServletContext context;
    private final Duration lifetime;
    private final MaxInactiveIntervalWarning maxInactiveIntervalWarning;
    private final long firstUsed = System.currentTimeMillis();
    private String invalidatedId;

    SessionKitHttpSession(Session session, ServletContext context, Duration lifetime,
                          MaxInactiveIntervalWarning maxInactiveIntervalWarning) {
        this.session = session;
        this.context = context;
        this.lifetime = lifetime;
        this.maxInactiveIntervalWarning = maxInactiveIntervalWarning;
    }

    boolean isInvalidated() {
        return invalidatedId != null;
    }

    private void requireValid(String method) {
        if (invalidatedId != null) {
            throw new IllegalStateException(method + ": the session was invalidated;"
                    + " call request.getSession(true) for a new one");
        }
    }

    @Override
    public long getCreationTime() {
        requireValid("getCreationTime");
        return firstUsed;
    }

    @Override
    public String getId() {
        return invalidatedId != null ? invalidatedId : session.id();
    }

    @Override
    public long getLastAccessedTime() {
        requireValid("getLastAccessedTime");
        return firstUsed;
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    /**
     * Has no effect: a store keeps every session for {@code PERMANENT_SESSION_LIFETIME}, and one
     * session's time to live cannot differ. Logs a warning the first time.
     */
    @Override
    public void setMaxInactiveInterval(int interval) {
        maxInactiveIntervalWarning.log(interval, lifetime.toSeconds());
    }

    @Override
    public int getMaxInactiveInterval() {
        return (int) Math.min(Integer.MAX_VALUE, lifetime.toSeconds());
    }

    @Override
    public Object getAttribute(String name) {
        requireValid("getAttribute");
        return session.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        requireValid("getAttributeNames");
        return Collections.enumeration(new ArrayList<>(session.keySet()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        requireValid("setAttribute");
        if (name == null) {
            throw new IllegalArgumentException("session attribute name must not be null");
        }
        if (value == null) {
            removeAttribute(name);
        } else {
            session.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        requireValid("removeAttribute");
        if (session.containsKey(name)) {
            session.remove(name);
        }
    }

    @Override
    public void invalidate() {
        requireValid("invalidate");
        invalidatedId = session.id();
        session.invalidate();
    }

    @Override
    public boolean isNew() {
        requireValid("isNew");
        return session.isNew();
    }
}
