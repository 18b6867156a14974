package io.sessionkit;

import java.util.Set;

/**
 * A request's save was refused because another request changed, meanwhile, an attribute that
 * this request had read and then written, with {@code SESSION_CONFLICT=fail}: neither request
 * saw the other's value, so keeping either one would lose an update. Nothing was saved; the
 * stored session keeps the other request's values. The servlet binding answers
 * {@code 409 Conflict}; the client may retry the request.
 *
 * <p>Also thrown, whatever {@code SESSION_CONFLICT} says, when a save lost the race to other
 * saves of the same session more often than the engine retries.
 */
public class SessionConflictException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final Set<String> keys;

    /**
     * @param message what happened
     * @param keys    the attributes changed by both requests; empty when the save gave up
     *                after too many attempts
     */
    public SessionConflictException(String message, Set<String> keys) {
        super(message);
        this.keys = Set.copyOf(keys);
    }

    /**
     * @return the attributes changed by both requests, never {@code null}
     */
    public Set<String> keys() {
        return keys;
    }
}
