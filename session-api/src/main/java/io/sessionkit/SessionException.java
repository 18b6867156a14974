package io.sessionkit;

/**
 * The root of SessionKit's unchecked exceptions, so that an application can handle all of
 * them in one place.
 */
public class SessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, what was expected and what to do
     */
    public SessionException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, what was expected and what to do
     * @param cause   the underlying failure
     */
    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
