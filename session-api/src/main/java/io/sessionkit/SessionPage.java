package io.sessionkit;

import java.util.List;

/**
 * One page of a walk over every live session.
 *
 * @param sessions   the page's sessions
 * @param nextCursor the cursor of the next page, or {@code null} when this is the last
 */
public record SessionPage(List<SessionSummary> sessions, String nextCursor) {

    /**
     * @throws NullPointerException when {@code sessions} is {@code null}
     */
    public SessionPage {
        sessions = List.copyOf(sessions);
    }
}
