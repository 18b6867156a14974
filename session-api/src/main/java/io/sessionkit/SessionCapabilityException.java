package io.sessionkit;

/**
 * The backend in use cannot do what was asked: it does not offer the optional capability the
 * operation needs (memcached cannot list its keys, say). The message names the backend, the
 * capability and the operation.
 */
public class SessionCapabilityException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final String capability;
    private final String operation;

    /**
     * @param backend    the backend's name ({@code SESSION_TYPE} or class name)
     * @param capability the simple name of the capability interface it lacks
     * @param operation  what was asked, such as {@code "sessionsOf"}
     */
    public SessionCapabilityException(String backend, String capability, String operation) {
        super("The session backend '" + backend + "' cannot " + operation + ": it does not offer the capability "
                + capability);
        this.backend = backend;
        this.capability = capability;
        this.operation = operation;
    }

    /**
     * @return the backend's name
     */
    public String backend() {
        return backend;
    }

    /**
     * @return the simple name of the capability it lacks
     */
    public String capability() {
        return capability;
    }

    /**
     * @return the operation that needed it
     */
    public String operation() {
        return operation;
    }
}
