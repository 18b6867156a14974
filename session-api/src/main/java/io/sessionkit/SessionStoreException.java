package io.sessionkit;

/**
 * A session store failed: it could not be reached, timed out or refused an operation.
 * The message names the store type and the operation; the cause is the client's exception.
 * The servlet binding answers such a failure with {@code 503 Service Unavailable}.
 */
public class SessionStoreException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final String storeType;
    private final String operation;

    /**
     * @param storeType the {@code SESSION_TYPE} of the failing store, e.g. {@code redis}
     * @param operation what was attempted, e.g. {@code load}, {@code save}, {@code touch}
     * @param message   what happened
     * @param cause     the client's exception, may be {@code null}
     */
    public SessionStoreException(String storeType, String operation, String message, Throwable cause) {
        super("session store '" + storeType + "' failed to " + operation + ": " + message, cause);
        this.storeType = storeType;
        this.operation = operation;
    }

    /**
     * @return the {@code SESSION_TYPE} of the failing store
     */
    public String storeType() {
        return storeType;
    }

    /**
     * @return the operation that failed, e.g. {@code load} or {@code save}
     */
    public String operation() {
        return operation;
    }
}
