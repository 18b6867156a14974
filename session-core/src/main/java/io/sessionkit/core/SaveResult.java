package io.sessionkit.core;

/**
 * What the HTTP layer must add to the response after {@link SessionInterface#save}: the session
 * id in a {@code Set-Cookie} header, in the {@code SESSION_ID_HEADER} header, or both, and
 * {@code Vary} on whichever carries it.
 *
 * @param vary            whether to add {@code Vary} on what carries the id ({@code Cookie}, the
 *                        id header, or both): the session was used, or its id is sent or ended
 * @param setCookieHeader the whole value of a {@code Set-Cookie} header that sets or deletes the
 *                        session cookie, or {@code null} when the cookie stays as it is or is
 *                        not used
 * @param idHeaderValue   the value of the {@code SESSION_ID_HEADER} header: the (signed) id,
 *                        empty when the session ended, or {@code null} when there is nothing to
 *                        send or no such header is configured
 */
public record SaveResult(boolean vary, String setCookieHeader, String idHeaderValue) {

    /** Nothing to add: the session was not used. */
    public static final SaveResult NONE = new SaveResult(false, null, null);

    /** The session was used but its id is not sent again. */
    static final SaveResult VARY_ONLY = new SaveResult(true, null, null);
}
