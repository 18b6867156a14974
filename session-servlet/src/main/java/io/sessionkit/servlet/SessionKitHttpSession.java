package io.sessionkit.servlet;

import io.sessionkit.Session;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link HttpSession} view of a SessionKit {@link Session}, valid for one request.
 *
 * <p>Attributes are the session's entries; values come back from the backend in their JSON form
 * (a record put in one request is a {@code Map} in the next: use
 * {@link Session#get(String, Class)} through {@link SessionKitFilter#session} to read it back
 * typed). After {@link #invalidate()} every method but {@code getId}, {@code getServletContext}
 * and the max-inactive-interval pair throws {@link IllegalStateException}, as the servlet
 * specification requires.
 *
 * <h2>Times</h2>
 * The creation time is the session's own, kept in its stored record. The backend keeps no time of
 * each access (that would cost a write per request), so the last accessed time is the time this
 * request first asked for its session. The max inactive interval is the session's own idle
 * timeout ({@link Session#setMaxInactiveInterval}), which sets both its time to live in the
 * backend and its cookie's lifetime; an interval of zero or less, "never" in the servlet
 * specification, becomes {@link #NEVER}.
 */
final class SessionKitHttpSession implements HttpSession {

    /**
     * What {@code setMaxInactiveInterval(n)} with {@code n <= 0} sets: 400 days, the longest a
     * browser keeps a cookie (RFC 6265bis limits a cookie's lifetime to that; Chromium-based
     * browsers apply it), so about the longest a session can be reached anyway. The stored entry
     * still expires, so a forgotten session does not stay in the backend for ever.
     */
    static final Duration NEVER = Duration.ofDays(400);

    private static final Logger LOG = LoggerFactory.getLogger(SessionKitHttpSession.class);

    private final Session session;
    private final ServletContext context;
    private final Duration lifetime;
    private final long firstUsed;
    private String invalidatedId;
    private int invalidatedMaxInactiveInterval;

    /**
     * @param session  the application's session
     * @param context  the request's servlet context
     * @param lifetime {@code PERMANENT_SESSION_LIFETIME}
     * @param clock    the configuration's clock, which the engine's times come from too
     */
    SessionKitHttpSession(Session session, ServletContext context, Duration lifetime, Clock clock) {
        this.session = session;
        this.context = context;
        this.lifetime = lifetime;
        this.firstUsed = clock.millis();
    }

    /**
     * The view of a session that has ended, whose record is gone: for listeners told of its end.
     *
     * @param id       the id it had
     * @param context  the servlet context
     * @param lifetime {@code PERMANENT_SESSION_LIFETIME}, reported as its interval
     */
    static SessionKitHttpSession ended(String id, ServletContext context, Duration lifetime) {
        SessionKitHttpSession ended = new SessionKitHttpSession(null, context, lifetime, Clock.systemUTC());
        ended.invalidatedId = id;
        ended.invalidatedMaxInactiveInterval = (int) Math.min(Integer.MAX_VALUE, lifetime.toSeconds());
        return ended;
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

    /**
     * @return when the session was created, from its stored record: the same in every request
     */
    @Override
    public long getCreationTime() {
        requireValid("getCreationTime");
        return session.creationTime().toEpochMilli();
    }

    @Override
    public String getId() {
        return invalidatedId != null ? invalidatedId : session.id();
    }

    /**
     * @return the time this request first asked for its session (never before the creation
     *         time), not the previous request's: no backend keeps the time of each access
     */
    @Override
    public long getLastAccessedTime() {
        requireValid("getLastAccessedTime");
        return Math.max(firstUsed, session.creationTime().toEpochMilli());
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    /**
     * Gives this session its own idle timeout: its stored entry and, for a permanent session, its
     * cookie then live this long after each use. Like any change, it is saved only before the
     * response's commit point. Ignored after {@link #invalidate()}.
     *
     * @param interval seconds; zero or less means {@link #NEVER}
     */
    @Override
    public void setMaxInactiveInterval(int interval) {
        if (invalidatedId == null) {
            session.setMaxInactiveInterval(interval > 0 ? Duration.ofSeconds(interval) : NEVER);
        }
    }

    /**
     * @return this session's idle timeout in seconds: its own if one was set, else
     *         {@code PERMANENT_SESSION_LIFETIME}
     */
    @Override
    public int getMaxInactiveInterval() {
        if (invalidatedId != null) {
            return invalidatedMaxInactiveInterval;
        }
        return (int) Math.min(Integer.MAX_VALUE, session.maxInactiveInterval().orElse(lifetime).toSeconds());
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
            return;
        }
        if (value instanceof HttpSessionBindingListener bound) {
            notify(bound, name, value, true);
        }
        Object previous = session.put(name, value);
        if (previous != value && previous instanceof HttpSessionBindingListener unbound) {
            notify(unbound, name, previous, false);
        }
    }

    @Override
    public void removeAttribute(String name) {
        requireValid("removeAttribute");
        if (session.containsKey(name)) {
            Object previous = session.remove(name);
            if (previous instanceof HttpSessionBindingListener unbound) {
                notify(unbound, name, previous, false);
            }
        }
    }

    @Override
    public void invalidate() {
        requireValid("invalidate");
        invalidatedMaxInactiveInterval = getMaxInactiveInterval();
        invalidatedId = session.id();
        Map<String, Object> bound = new LinkedHashMap<>();
        session.forEach((name, value) -> {
            if (value instanceof HttpSessionBindingListener) {
                bound.put(name, value);
            }
        });
        session.invalidate();
        bound.forEach((name, value) -> notify((HttpSessionBindingListener) value, name, value, false));
    }

    /**
     * Tells a value it was bound to or unbound from this session. Only values set during this
     * request can be listeners: what comes back from the backend is plain data.
     */
    private void notify(HttpSessionBindingListener listener, String name, Object value, boolean bound) {
        HttpSessionBindingEvent event = new HttpSessionBindingEvent(this, name, value);
        try {
            if (bound) {
                listener.valueBound(event);
            } else {
                listener.valueUnbound(event);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}.{} failed for the session attribute '{}'; the request goes on", listener.getClass().getName(),
                    bound ? "valueBound" : "valueUnbound", name, e);
        }
    }

    @Override
    public boolean isNew() {
        requireValid("isNew");
        return session.isNew();
    }
}
