package io.sessionkit;

/**
 * The names of the configuration keys that the engine itself reads. They are
 * Flask-Session's (and Flask's) names with the same meaning and defaults; each backend module
 * documents its own keys ({@code SESSION_REDIS}, {@code SESSION_FILE_DIR}, ...) beside its
 * code. The full table, with defaults, is {@code docs/configuration.md}.
 */
public final class ConfigKeys {

    /** The backend: {@code filesystem}, {@code redis}, {@code null}, ... Default {@code filesystem}. */
    public static final String SESSION_TYPE = "SESSION_TYPE";
    /** Whether new sessions are permanent (their cookie outlives the browser). Default {@code true}. */
    public static final String SESSION_PERMANENT = "SESSION_PERMANENT";
    /** Lifetime of a stored session and of a permanent session's cookie. Default 31 days. */
    public static final String PERMANENT_SESSION_LIFETIME = "PERMANENT_SESSION_LIFETIME";
    /** Refresh a permanent session's expiry on every request that uses it. Default {@code true}. */
    public static final String SESSION_REFRESH_EACH_REQUEST = "SESSION_REFRESH_EACH_REQUEST";
    /**
     * With {@link #SESSION_REFRESH_EACH_REQUEST}, skip the refresh of a request that only reads its
     * session (the backend write and the cookie) when it would move the expiry by less than this.
     * Default {@code 0}: every such request refreshes.
     */
    public static final String SESSION_REFRESH_MIN_INTERVAL = "SESSION_REFRESH_MIN_INTERVAL";
    /**
     * Keep recently used sessions in this process's memory, kept coherent by the store: a number
     * of sessions ({@code 10000}) or of bytes ({@code 64MiB}; {@code KiB}, {@code MiB}, {@code GiB}).
     * Needs a backend that tells changes ({@code io.sessionkit.spi.InvalidationFeed}, Redis) and,
     * with {@link #SESSION_REFRESH_EACH_REQUEST}, {@link #SESSION_REFRESH_MIN_INTERVAL}. Default
     * {@code off}.
     */
    public static final String SESSION_NEAR_CACHE = "SESSION_NEAR_CACHE";
    /** Prefix of every key a session is stored under ({@code session:<id>}). Default {@code session:}. */
    public static final String SESSION_KEY_PREFIX = "SESSION_KEY_PREFIX";
    /** Random bytes in a session id. Default 32. */
    public static final String SESSION_ID_LENGTH = "SESSION_ID_LENGTH";
    /** Serialization format of the stored session. Default {@code json}. */
    public static final String SESSION_SERIALIZATION_FORMAT = "SESSION_SERIALIZATION_FORMAT";
    /** Largest serialized session accepted, in bytes. Default 1048576 (1 MiB); 0 disables the check. */
    public static final String SESSION_MAX_SIZE = "SESSION_MAX_SIZE";
    /** Sign the session id in the cookie with {@link #SECRET_KEY}. Default {@code false}. */
    public static final String SESSION_USE_SIGNER = "SESSION_USE_SIGNER";
    /** The secret key of the signer. Required when {@link #SESSION_USE_SIGNER} is on. */
    public static final String SECRET_KEY = "SECRET_KEY";
    /**
     * Older secret keys still accepted when verifying, for key rotation: a collection from code,
     * or a JSON array of strings such as {@code ["previous key"]}. Keys are used exactly as given.
     */
    public static final String SECRET_KEY_FALLBACKS = "SECRET_KEY_FALLBACKS";
    /** Salt of the signer's key derivation. Default {@code sessionkit}. */
    public static final String SESSION_SIGNER_SALT = "SESSION_SIGNER_SALT";
    /** Digest of the signer's HMAC: {@code sha256} (default), {@code sha1}, {@code sha384}, {@code sha512}. */
    public static final String SESSION_SIGNER_DIGEST = "SESSION_SIGNER_DIGEST";
    /** Name of the session cookie. Default {@code session}. */
    public static final String SESSION_COOKIE_NAME = "SESSION_COOKIE_NAME";
    /** Domain attribute of the cookie. Default none (host-only). */
    public static final String SESSION_COOKIE_DOMAIN = "SESSION_COOKIE_DOMAIN";
    /** Path attribute of the cookie. Default {@code /}. */
    public static final String SESSION_COOKIE_PATH = "SESSION_COOKIE_PATH";
    /** HttpOnly attribute of the cookie. Default {@code true}. */
    public static final String SESSION_COOKIE_HTTPONLY = "SESSION_COOKIE_HTTPONLY";
    /** Secure attribute of the cookie. Default {@code false}. */
    public static final String SESSION_COOKIE_SECURE = "SESSION_COOKIE_SECURE";
    /** SameSite attribute of the cookie: {@code Strict}, {@code Lax} or {@code None}. Default none. */
    public static final String SESSION_COOKIE_SAMESITE = "SESSION_COOKIE_SAMESITE";
    /** Partitioned attribute of the cookie (CHIPS). Default {@code false}. */
    public static final String SESSION_COOKIE_PARTITIONED = "SESSION_COOKIE_PARTITIONED";

    /**
     * A request header, such as {@code X-Auth-Token}, that carries the session id instead of the
     * cookie, for API clients: read from requests and written to responses, with the same syntax
     * check and signer. Default none (the cookie).
     */
    public static final String SESSION_ID_HEADER = "SESSION_ID_HEADER";
    /**
     * The session attribute that names the logged-in user (such as {@code user}). When set, and the
     * backend offers a principal index, the engine keeps an index from that value to the user's
     * sessions, for listing them and ending them all. Default none.
     */
    public static final String SESSION_PRINCIPAL_KEY = "SESSION_PRINCIPAL_KEY";
    /**
     * With {@link #SESSION_ID_HEADER}, accept and send the id in the cookie as well, for a
     * migration between the two. A request that sends both is served by the first that names a
     * stored session, the header's tried first. Default {@code false}.
     */
    public static final String SESSION_ID_HEADER_AND_COOKIE = "SESSION_ID_HEADER_AND_COOKIE";

    /**
     * A session older than this is treated as absent however often it is used (the OWASP
     * absolute timeout). Default off.
     */
    public static final String SESSION_ABSOLUTE_LIFETIME = "SESSION_ABSOLUTE_LIFETIME";
    /**
     * Take a per-session lock for each request that uses a stored session, so that requests of
     * one session run one after the other. Default {@code false}.
     */
    public static final String SESSION_LOCKING = "SESSION_LOCKING";
    /** How long a request waits for its session's lock. Default 10 seconds. */
    public static final String SESSION_LOCK_TIMEOUT = "SESSION_LOCK_TIMEOUT";
    /** How long a lock holds unless released, so that a crashed holder blocks no one for longer. Default 30 seconds. */
    public static final String SESSION_LOCK_LEASE = "SESSION_LOCK_LEASE";
    /**
     * What a save does when another request changed, meanwhile, an attribute this request read
     * and wrote: {@code last-writer-wins} (default) or {@code fail}.
     */
    public static final String SESSION_CONFLICT = "SESSION_CONFLICT";

    private ConfigKeys() {
    }
}
