package io.sessionkit.faults;

/**
 * One request of a load client and how it ended.
 *
 * @param kind          what was asked
 * @param sentNanos     {@link System#nanoTime()} when it was sent
 * @param answeredNanos {@link System#nanoTime()} when its answer (or failure) arrived
 * @param status        the HTTP status, or {@link #NO_ANSWER} when the exchange failed
 */
record Answer(Kind kind, long sentNanos, long answeredNanos, int status) {

    /** The status of an exchange that failed without an HTTP answer (reset, timeout). */
    static final int NO_ANSWER = -1;

    /** What a request asked for. */
    enum Kind {
        /** {@code POST /count} on the client's own session. */
        COUNT,
        /** {@code POST /note} with a body larger than {@code SESSION_MAX_SIZE}. */
        OVERSIZED_NOTE,
        /** {@code POST /note} with a body that is not UTF-8. */
        BAD_BODY,
        /** {@code GET /count} with a session cookie that is not a session id. */
        BAD_COOKIE
    }
}
