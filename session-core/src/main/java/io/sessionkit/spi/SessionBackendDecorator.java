package io.sessionkit.spi;

/**
 * Wraps the engine's backend in another {@link SessionBackend} that adds something around every
 * call, such as timing it, without the backend knowing: given to
 * {@link io.sessionkit.core.SessionInterface.Builder#decorateBackend}, it is applied once, when the
 * engine is built, and the engine then calls only what it returned, the backend's capabilities
 * included ({@link SessionBackend#capability(Class)} of the decorated backend).
 *
 * <p>The decorated backend must keep the backend's contract: delegate every operation, hand out
 * the capabilities the backend has (wrapped or not) and only those, and close the backend when
 * closed.
 */
@FunctionalInterface
public interface SessionBackendDecorator {

    /**
     * @param backend     the backend the configuration selected or the application handed in
     * @param backendName its name in messages: its {@code SESSION_TYPE}, or its class name when
     *                    it was handed in from code; one value per engine, so fit for a metric's tag
     * @return the backend the engine uses; not {@code null}
     */
    SessionBackend decorate(SessionBackend backend, String backendName);
}
