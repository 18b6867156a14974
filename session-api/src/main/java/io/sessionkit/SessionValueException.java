package io.sessionkit;

/**
 * A session attribute could not be converted to the type asked for by
 * {@link Session#get(String, Class)}, or could not be serialized.
 */
public class SessionValueException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which attribute, which type, and why
     * @param cause   the serializer's exception
     */
    public SessionValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
