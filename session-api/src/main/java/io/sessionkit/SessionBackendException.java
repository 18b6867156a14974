package io.sessionkit;

/**
 * A session backend failed: its server could not be reached, timed out or refused an
 * operation. The message names the backend and the operation; the cause is the client's
 * exception. The servlet binding answers such a failure with {@code 503 Service Unavailable}.
 */
public class SessionBackendException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final String backendType;
    private final String operation;

    /**
     * @param backendType the {@code SESSION_TYPE} of the failing backend, e.g. {@code redis}, or
     *                    the class name of a backend handed in from code
     * @param operation   what was attempted, e.g. {@code load}, {@code save}, {@code touch}
     * @param message     what happened
     * @param cause       the client's exception, may be {@code null}
     */
    public SessionBackendException(String backendType, String operation, String message, Throwable cause) {
        super("session backend '" + backendType + "' failed to " + operation + ": " + message, cause);
        this.backendType = backendType;
        this.operation = operation;
    }

    /**
     * @return the {@code SESSION_TYPE} of the failing backend, or the class name of a backend
     *         handed in from code
     */
    public String backendType() {
        return backendType;
    }

    /**
     * @return the operation that failed, e.g. {@code load} or {@code save}
     */
    public String operation() {
        return operation;
    }
}
