package io.sessionkit.core;

import io.sessionkit.spi.SessionIdSigner;

import java.time.Instant;

/**
 * Writes what carries a session id back to the client: the cookie, the {@code SESSION_ID_HEADER}
 * header, or both, as the configuration says, with the id signed when a signer is set.
 */
final class SessionIdHeaders {

    private final SessionIdSigner signer;
    private final SessionCookieWriter cookies;
    private final boolean inCookie;
    private final boolean inHeader;

    SessionIdHeaders(SessionConfig config, SessionIdSigner signer) {
        this.signer = signer;
        this.cookies = new SessionCookieWriter(config.cookie());
        this.inCookie = config.idInCookie();
        this.inHeader = config.idHeader().isPresent();
    }

    /**
     * @param id      the session's id
     * @param expires when a permanent session's cookie expires, or {@code null} for a
     *                browser-session cookie
     * @param now     the current time
     */
    SaveResult send(String id, Instant expires, Instant now) {
        String value = signer == null ? id : signer.sign(id);
        return new SaveResult(true, inCookie ? cookies.set(value, expires, now) : null, inHeader ? value : null);
    }

    /** Tells a client that sent an id whose session ended, or never existed, to stop sending it. */
    SaveResult end() {
        return new SaveResult(true, inCookie ? cookies.delete() : null, inHeader ? "" : null);
    }
}
