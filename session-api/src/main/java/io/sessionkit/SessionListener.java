package io.sessionkit;

/**
 * Hears about the life of sessions: created, given a new id, ended by the application, revoked,
 * or removed by the backend's clean-up once expired. Every method does nothing unless overridden.
 *
 * <p>Listeners are found with {@link java.util.ServiceLoader} (a line naming the class in
 * {@code META-INF/services/io.sessionkit.SessionListener}; the class needs a public no-argument
 * constructor) and can be added in code to the engine's builder. Each method is called after
 * the backend operation it reports succeeded, on the thread that made it: the request's, or a
 * clean-up thread's for {@link #expired}. A listener that throws is logged and skipped; it never
 * fails the request, and the other listeners are still called. Keep listeners quick: the request
 * waits for them.
 */
public interface SessionListener {

    /**
     * A new session was stored for the first time.
     *
     * @param session the session, as the request left it
     */
    default void created(Session session) {
    }

    /**
     * A session was stored under a new id ({@link Session#regenerate()}, a servlet's
     * {@code changeSessionId()}), and its record under the previous id is gone.
     *
     * @param session    the session, under its new id
     * @param previousId the id it had
     */
    default void idChanged(Session session, String previousId) {
    }

    /**
     * The application ended a session ({@link Session#invalidate()}, or it removed the last
     * attribute) and its record was deleted.
     *
     * @param id the id the session had
     */
    default void invalidated(String id) {
    }

    /**
     * The backend's clean-up of expired sessions removed this one. Called only by backends that
     * delete expired sessions in a clean-up that can tell which ones it deleted; most key-value
     * stores let entries expire silently.
     *
     * @param id the id the session had
     */
    default void expired(String id) {
    }

    /**
     * An administrator or the application revoked the session ({@code revoke}, {@code revokeAll}
     * of the engine) and its record was deleted.
     *
     * @param id the id the session had
     */
    default void revoked(String id) {
    }
}
