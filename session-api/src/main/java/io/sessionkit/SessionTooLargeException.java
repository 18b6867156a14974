package io.sessionkit;

/**
 * A session's serialized form exceeded {@code SESSION_MAX_SIZE} (or a backend's own item
 * limit). The session was not written; what the backend held before is unchanged.
 */
public class SessionTooLargeException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    /**
     * @param size  the serialized size in bytes
     * @param limit the limit in bytes
     * @param what  which limit, e.g. {@code SESSION_MAX_SIZE}
     */
    public SessionTooLargeException(long size, long limit, String what) {
        super("session is " + size + " bytes serialized, over the " + limit + "-byte limit of " + what
                + "; the session was not saved and the stored one is unchanged."
                + " Keep large data out of the session or raise the limit");
        this.size = size;
        this.limit = limit;
    }

    /**
     * @return the serialized size in bytes
     */
    public long size() {
        return size;
    }

    /**
     * @return the limit that was exceeded, in bytes
     */
    public long limit() {
        return limit;
    }
}
