package io.sessionkit.core;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes session ids and recognises them: {@code SESSION_ID_LENGTH} random bytes from
 * {@link SecureRandom}, base64url-encoded without padding (the form of Python's
 * {@code secrets.token_urlsafe}, so Flask-Session ids are recognised too). Thread-safe.
 */
final class SessionIds {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final int byteLength;
    private final int textLength;

    SessionIds(int byteLength) {
        this.byteLength = byteLength;
        this.textLength = (byteLength * 4 + 2) / 3;
    }

    String newId() {
        byte[] bytes = new byte[byteLength];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Whether {@code candidate} has exactly the form of an id this generator makes. Anything
     * else (paths, quotes, separators, other lengths) is treated as no id at all, so no key of the
     * backend is ever built from it.
     */
    boolean isWellFormed(String candidate) {
        return candidate != null && candidate.length() == textLength && isBase64Url(candidate);
    }

    /**
     * Whether {@code candidate} could be an id of some {@code SESSION_ID_LENGTH}: base64url
     * characters, at least one. The keys a backend keeps beside a session's (a lock, an index) add
     * a separator, so they are not.
     */
    static boolean isBase64Url(String candidate) {
        if (candidate.isEmpty()) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!base64url) {
                return false;
            }
        }
        return true;
    }
}
