package io.sessionkit;

import java.time.Instant;
import java.util.Objects;

/**
 * What an administrator sees of a stored session when listing a user's sessions or all of
 * them: never its attributes, apart from the principal.
 *
 * @param id        the session id (as stored, without a signature)
 * @param principal the value of the {@code SESSION_PRINCIPAL_KEY} attribute, or {@code null} when
 *                  that key is not set or the session has no such attribute
 * @param created   when the session was first stored, or {@code null} when its record does not
 *                  tell (a record of SessionKit 0.1, or one the engine could not decode)
 * @param expiresAt when it expires unless it is used again
 * @param size      the size of its stored record, in bytes
 */
public record SessionSummary(String id, String principal, Instant created, Instant expiresAt, int size) {

    /**
     * @throws NullPointerException when {@code id} or {@code expiresAt} is {@code null}
     */
    public SessionSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
