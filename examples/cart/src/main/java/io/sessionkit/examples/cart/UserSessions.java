package io.sessionkit.examples.cart;

import io.sessionkit.SessionSummary;

import java.util.List;

/**
 * The logged-in user's sessions, for the page's "Your sessions" section.
 *
 * @param sessions    the sessions, the current one among them
 * @param currentId   the id of the session of this request
 * @param unavailable why they cannot be listed, or {@code null}
 */
record UserSessions(List<SessionSummary> sessions, String currentId, String unavailable) {
}
