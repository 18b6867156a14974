package io.sessionkit.core;

/**
 * The attributes of the session cookie, from the {@code SESSION_COOKIE_*} keys.
 *
 * @param name        {@code SESSION_COOKIE_NAME}
 * @param domain      {@code SESSION_COOKIE_DOMAIN}, or {@code null} for a host-only cookie
 * @param path        {@code SESSION_COOKIE_PATH}
 * @param httpOnly    {@code SESSION_COOKIE_HTTPONLY}
 * @param secure      {@code SESSION_COOKIE_SECURE}
 * @param sameSite    {@code SESSION_COOKIE_SAMESITE}: {@code Strict}, {@code Lax}, {@code None},
 *                    or {@code null} to leave the attribute out
 * @param partitioned {@code SESSION_COOKIE_PARTITIONED}
 */
public record CookieSettings(String name, String domain, String path, boolean httpOnly, boolean secure,
                             String sameSite, boolean partitioned) {
}
