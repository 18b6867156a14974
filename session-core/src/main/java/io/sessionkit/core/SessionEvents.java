package io.sessionkit.core;

import io.sessionkit.Session;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionListener;
import io.sessionkit.spi.ExpiryNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells the {@link SessionListener}s what happened to a session. A listener's failure is
 * logged, with the listener and the event but not the session id, and the next listener is
 * still called: a listener must never turn a request that succeeded into a failure.
 */
final class SessionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);

    // Written rarely (start-up, a binding's init), read on every save that has news.
    private final List<SessionListener> listeners;

    private SessionEvents(List<SessionListener> listeners) {
        this.listeners = new CopyOnWriteArrayList<>(listeners);
    }

    /**
     * @return the listeners that {@link ServiceLoader} finds; more can be added
     */
    static SessionEvents discover() {
        List<SessionListener> all = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            ServiceLoader.load(SessionListener.class, loader != null ? loader : SessionListener.class.getClassLoader())
                    .forEach(all::add);
        } catch (ServiceConfigurationError e) {
            throw new SessionConfigException("A session listener named in META-INF/services/"
                    + SessionListener.class.getName() + " could not be loaded: " + e.getMessage());
        }
        return new SessionEvents(all);
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void add(SessionListener listener) {
        listeners.add(listener);
    }

    void remove(SessionListener listener) {
        listeners.remove(listener);
    }

    void created(Session session) {
        each("created", listener -> listener.created(session));
    }

    void idChanged(Session session, String previousId) {
        each("idChanged", listener -> listener.idChanged(session, previousId));
    }

    void invalidated(String id) {
        each("invalidated", listener -> listener.invalidated(id));
    }

    void revoked(String id) {
        each("revoked", listener -> listener.revoked(id));
    }

    void expired(String id) {
        each("expired", listener -> listener.expired(id));
    }

    /** Tells the ids the application ended in this request, once. */
    void announceEnded(TrackedSession session) {
        for (String endedId : session.endedIds()) {
            invalidated(endedId);
        }
        session.endedAnnounced();
    }

    /** Tells of a session stored under an id the backend did not hold it under before. */
    void announceStored(TrackedSession session) {
        String previousId = session.renamedFrom();
        if (previousId != null) {
            idChanged(session, previousId);
        } else {
            created(session);
        }
        session.renameAnnounced();
    }

    /**
     * Has the backend tell expired entries, whose keys of {@code keyPrefix} followed by an id are
     * this engine's sessions; other prefixes sharing the backend are not, nor the keys a backend
     * keeps beside a session's (a lock, an index, a value being saved), which expire too.
     */
    void listenTo(ExpiryNotifications notifications, String keyPrefix) {
        notifications.reportExpiredTo(key -> {
            if (key.startsWith(keyPrefix)) {
                String id = key.substring(keyPrefix.length());
                if (SessionIds.isBase64Url(id)) {
                    expired(id);
                }
            }
        });
    }

    private void each(String event, Consumer<SessionListener> call) {
        for (SessionListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Session listener {} failed on '{}' ({}); the request goes on", listener.getClass().getName(),
                        event, e.getClass().getName(), e);
            }
        }
    }
}
