package io.sessionkit.core;

/**
 * What the HTTP layer must add to the response after {@link SessionInterface#save}: a
 * {@code Set-Cookie} header and {@code Vary: Cookie}.
 *
 * @param varyCookie      whether to add {@code Vary: Cookie}: the session was used, or the
 *                        cookie is set or deleted
 * @param setCookieHeader the whole value of a {@code Set-Cookie} header that sets or deletes the
 *                        session cookie, or {@code null} when the cookie stays as it is
 */
public record SaveResult(boolean varyCookie, String setCookieHeader) {

    /** Nothing to add: the session was not used. */
    public static final SaveResult NONE = new SaveResult(false, null);

    /** The session was used but the cookie stays as it is. */
    static final SaveResult VARY_ONLY = new SaveResult(true, null);
}
