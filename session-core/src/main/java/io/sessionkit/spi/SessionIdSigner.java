package io.sessionkit.spi;

import java.util.Optional;

/**
 * Signs the session id that travels in the cookie, so that a forged or tampered cookie is
 * rejected before the backend is asked. Enabled by {@code SESSION_USE_SIGNER}; SessionKit's
 * implementation is {@link io.sessionkit.core.HmacSessionIdSigner}. Implementations are
 * thread-safe.
 */
public interface SessionIdSigner {

    /**
     * @param sessionId a well-formed session id
     * @return the cookie value carrying the id and its signature
     */
    String sign(String sessionId);

    /**
     * Verifies a cookie value, in constant time with respect to the signature.
     *
     * @param cookieValue the value from the browser, possibly forged
     * @return the session id when the signature is valid under the current or a fallback key,
     *         otherwise empty
     */
    Optional<String> unsign(String cookieValue);
}
