package io.sessionkit.servlet;

import io.sessionkit.Session;
import io.sessionkit.SessionListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.EventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Passes the engine's session events on to servlet {@link HttpSessionListener}s and
 * {@link HttpSessionIdListener}s. They hear of a session's end after its record was deleted, so
 * the {@code HttpSession} of {@code sessionDestroyed} shows its id but no attributes.
 */
final class ContainerSessionListeners implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerSessionListeners.class);

    private final List<HttpSessionListener> lifecycle = new CopyOnWriteArrayList<>();
    private final List<HttpSessionIdListener> idChanges = new CopyOnWriteArrayList<>();
    private volatile ServletContext context;
    private volatile Duration lifetime = Duration.ZERO;
    private volatile Clock clock = Clock.systemUTC();

    /**
     * @throws IllegalArgumentException when the listener is neither kind
     */
    void add(EventListener listener) {
        boolean known = false;
        if (listener instanceof HttpSessionListener sessionListener) {
            lifecycle.add(sessionListener);
            known = true;
        }
        if (listener instanceof HttpSessionIdListener idListener) {
            idChanges.add(idListener);
            known = true;
        }
        if (!known) {
            throw new IllegalArgumentException(listener.getClass().getName() + " is neither an "
                    + HttpSessionListener.class.getName() + " nor an " + HttpSessionIdListener.class.getName());
        }
    }

    boolean isEmpty() {
        return lifecycle.isEmpty() && idChanges.isEmpty();
    }

    void attach(ServletContext context, Duration lifetime, Clock clock) {
        this.context = context;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public void created(Session session) {
        if (!lifecycle.isEmpty()) {
            HttpSessionEvent event = new HttpSessionEvent(view(session));
            each(lifecycle, "sessionCreated", listener -> listener.sessionCreated(event));
        }
    }

    @Override
    public void idChanged(Session session, String previousId) {
        if (!idChanges.isEmpty()) {
            HttpSessionEvent event = new HttpSessionEvent(view(session));
            each(idChanges, "sessionIdChanged", listener -> listener.sessionIdChanged(event, previousId));
        }
    }

    @Override
    public void invalidated(String id) {
        destroyed(id);
    }

    @Override
    public void expired(String id) {
        destroyed(id);
    }

    @Override
    public void revoked(String id) {
        destroyed(id);
    }

    private void destroyed(String id) {
        if (!lifecycle.isEmpty()) {
            HttpSessionEvent event = new HttpSessionEvent(SessionKitHttpSession.ended(id, context, lifetime));
            each(lifecycle, "sessionDestroyed", listener -> listener.sessionDestroyed(event));
        }
    }

    /** Calls each listener on its own: one that throws is logged and the others still hear. */
    private static <T> void each(List<T> listeners, String method, Consumer<T> call) {
        for (T listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("{}.{} failed ({}); the request goes on", listener.getClass().getName(), method,
                        e.getClass().getName(), e);
            }
        }
    }

    private SessionKitHttpSession view(Session session) {
        return new SessionKitHttpSession(session, context, lifetime, clock);
    }
}
