package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.spi.SessionRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static io.sessionkit.ConfigKeys.*;

/**
 * The validated configuration of a {@link SessionInterface}: Flask-Session's keys with their
 * defaults, the raw values of every other key for the backend to read, client objects handed in
 * from code, and the clock.
 *
 * <h2>Sources and precedence</h2>
 * {@link #load(Map)} reads, each overriding the one before:
 * <ol>
 *   <li>environment variables,</li>
 *   <li>Java system properties,</li>
 *   <li>the map given in code.</li>
 * </ol>
 * Only keys that start with {@code SESSION_}, plus {@code SECRET_KEY},
 * {@code SECRET_KEY_FALLBACKS} and {@code PERMANENT_SESSION_LIFETIME}, are taken from the
 * environment and the system properties. An empty value counts as unset. {@link #builder()}
 * composes the same sources in any order: a later call overrides an earlier one.
 *
 * <h2>Validation</h2>
 * {@link Builder#build()} checks every engine key at once and throws one
 * {@link io.sessionkit.SessionConfigException} listing all problems; backend keys are checked by
 * the backend's provider in the same way. Secret values never appear in messages or in
 * {@link #toString()}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SessionConfig {

    /** Flask's {@code PERMANENT_SESSION_LIFETIME} default. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(31);
    /** Default {@code SESSION_MAX_SIZE}: 1 MiB. */
    public static final long DEFAULT_MAX_SIZE = 1024 * 1024;
    /** Default {@code SESSION_TYPE}: the embedded backend that needs no server. */
    public static final String DEFAULT_TYPE = "filesystem";

    /** Default {@code SESSION_LOCK_TIMEOUT}. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code SESSION_LOCK_LEASE}. */
    public static final Duration DEFAULT_LOCK_LEASE = Duration.ofSeconds(30);

    private static final List<String> CONFLICT_POLICIES = List.of("last-writer-wins", "fail");
    private static final List<String> DIGESTS = List.of("sha1", "sha256", "sha384", "sha512");
    private static final List<String> SAME_SITE = List.of("Strict", "Lax", "None");
    private static final Pattern COOKIE_TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    private final Map<String, Object> values;
    private final Map<String, String> sources;
    private final List<Object> clients;
    private final Clock clock;
    private final Set<String> readKeys = ConcurrentHashMap.newKeySet();

    private final String type;
    private final boolean permanent;
    private final Duration lifetime;
    private final boolean refreshEachRequest;
    private final Duration refreshMinInterval;
    private final NearCacheSize nearCache;
    private final String keyPrefix;
    private final int idLength;
    private final String serializationFormat;
    private final long maxSize;
    private final boolean useSigner;
    private final List<String> secretKeys;
    private final String signerSalt;
    private final String signerDigest;
    private final CookieSettings cookie;
    private final String idHeader;
    private final String principalKey;
    private final boolean idInCookie;
    private final Optional<Duration> absoluteLifetime;
    private final boolean locking;
    private final Duration lockTimeout;
    private final Duration lockLease;
    private final boolean failOnConflict;

    private SessionConfig(Builder builder) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(builder.values));
        this.sources = Map.copyOf(builder.sources);
        this.clients = List.copyOf(builder.clients);
        this.clock = builder.clock;

        ConfigReader reader = reader();
        type = reader.string(SESSION_TYPE, DEFAULT_TYPE).toLowerCase(java.util.Locale.ROOT);
        permanent = reader.bool(SESSION_PERMANENT, true);
        lifetime = reader.duration(PERMANENT_SESSION_LIFETIME, DEFAULT_LIFETIME, Duration.ofSeconds(1),
                SessionRecord.LONGEST_LIFETIME);
        refreshEachRequest = reader.bool(SESSION_REFRESH_EACH_REQUEST, true);
        refreshMinInterval = reader.durationOrOff(SESSION_REFRESH_MIN_INTERVAL, Optional.empty(), Duration.ofMillis(1),
                null).orElse(Duration.ZERO);
        nearCache = NearCacheSize.read(reader);
        if (nearCache.enabled() && refreshEachRequest && permanent && refreshMinInterval.isZero()) {
            reader.problem(SESSION_NEAR_CACHE + " is on but " + SESSION_REFRESH_MIN_INTERVAL + " is not set: every request"
                    + " would refresh its session's expiry in the store, a write that leaves the near cache nothing to"
                    + " save; set " + SESSION_REFRESH_MIN_INTERVAL + " (PT1M, say) or turn " + SESSION_REFRESH_EACH_REQUEST
                    + " off");
        }
        keyPrefix = reader.string(SESSION_KEY_PREFIX, "session:");
        idLength = reader.integer(SESSION_ID_LENGTH, 32, 16, 128);
        serializationFormat = reader.string(SESSION_SERIALIZATION_FORMAT, "json").toLowerCase(java.util.Locale.ROOT);
        maxSize = reader.longValue(SESSION_MAX_SIZE, DEFAULT_MAX_SIZE, 0, Integer.MAX_VALUE);
        useSigner = reader.bool(SESSION_USE_SIGNER, false);
        signerSalt = reader.string(SESSION_SIGNER_SALT, "sessionkit");
        signerDigest = reader.choice(SESSION_SIGNER_DIGEST, "sha256", DIGESTS);
        secretKeys = SecretKeys.read(reader, useSigner);
        cookie = readCookie(reader);
        idHeader = readIdHeader(reader);
        principalKey = readPrincipalKey(reader);
        boolean headerAndCookie = reader.bool(SESSION_ID_HEADER_AND_COOKIE, false);
        if (headerAndCookie && idHeader == null) {
            reader.problem(SESSION_ID_HEADER_AND_COOKIE + " is true but " + SESSION_ID_HEADER + " is not set: name the header"
                    + " that carries the id, or unset " + SESSION_ID_HEADER_AND_COOKIE);
        }
        idInCookie = idHeader == null || headerAndCookie;
        absoluteLifetime = reader.durationOrOff(SESSION_ABSOLUTE_LIFETIME, Optional.empty(), Duration.ofSeconds(1),
                SessionRecord.LONGEST_LIFETIME);
        locking = reader.bool(SESSION_LOCKING, false);
        lockTimeout = reader.duration(SESSION_LOCK_TIMEOUT, DEFAULT_LOCK_TIMEOUT, Duration.ofMillis(1), Duration.ofHours(1));
        lockLease = reader.duration(SESSION_LOCK_LEASE, DEFAULT_LOCK_LEASE, Duration.ofMillis(100), Duration.ofDays(1));
        failOnConflict = "fail".equals(reader.choice(SESSION_CONFLICT, "last-writer-wins", CONFLICT_POLICIES));
        reader.validate();
    }

    private static String readPrincipalKey(ConfigReader reader) {
        String name = reader.optionalString(SESSION_PRINCIPAL_KEY).orElse(null);
        if (name != null && name.isBlank()) {
            reader.invalid(SESSION_PRINCIPAL_KEY, name, "the name of the session attribute that holds the logged-in user,"
                    + " such as user");
            return null;
        }
        return name;
    }

    private static String readIdHeader(ConfigReader reader) {
        String name = reader.optionalString(SESSION_ID_HEADER).orElse(null);
        if (name != null && (!COOKIE_TOKEN.matcher(name).matches() || name.equalsIgnoreCase("Cookie")
                || name.equalsIgnoreCase("Set-Cookie"))) {
            reader.invalid(SESSION_ID_HEADER, name, "a header name (letters, digits and !#$%&'*+-.^_`|~) other than"
                    + " Cookie and Set-Cookie, such as X-Auth-Token");
            return null;
        }
        return name;
    }

    private static CookieSettings readCookie(ConfigReader reader) {
        String name = reader.string(SESSION_COOKIE_NAME, "session");
        if (!COOKIE_TOKEN.matcher(name).matches()) {
            reader.invalid(SESSION_COOKIE_NAME, name, "a cookie name: letters, digits and !#$%&'*+-.^_`|~");
        }
        String domain = reader.optionalString(SESSION_COOKIE_DOMAIN).orElse(null);
        if (domain != null && !domain.matches("[A-Za-z0-9.-]+")) {
            reader.invalid(SESSION_COOKIE_DOMAIN, domain, "a host name such as example.com");
        }
        String path = reader.string(SESSION_COOKIE_PATH, "/");
        if (!path.startsWith("/") || path.matches(".*[;\\s\\p{Cntrl}].*")) {
            reader.invalid(SESSION_COOKIE_PATH, path, "a URL path starting with / without spaces or ';'");
        }
        boolean httpOnly = reader.bool(SESSION_COOKIE_HTTPONLY, true);
        boolean secure = reader.bool(SESSION_COOKIE_SECURE, false);
        String sameSite = reader.choice(SESSION_COOKIE_SAMESITE, null, SAME_SITE);
        boolean partitioned = reader.bool(SESSION_COOKIE_PARTITIONED, false);
        if ("None".equals(sameSite) && !secure) {
            reader.problem(SESSION_COOKIE_SAMESITE + " was 'None' but browsers reject SameSite=None cookies"
                    + " unless " + SESSION_COOKIE_SECURE + " is true");
        }
        if (partitioned && !secure) {
            reader.problem(SESSION_COOKIE_PARTITIONED + " was 'true' but browsers reject partitioned cookies"
                    + " unless " + SESSION_COOKIE_SECURE + " is true");
        }
        return new CookieSettings(name, domain, path, httpOnly, secure, sameSite, partitioned);
    }

    /**
     * Reads the environment, then system properties, then {@code settings}, each overriding
     * the one before.
     *
     * @param settings values set in code, e.g. {@code Map.of("SESSION_TYPE", "redis")}
     * @return the validated configuration
     * @throws io.sessionkit.SessionConfigException listing every invalid value
     */
    public static SessionConfig load(Map<String, ?> settings) {
        return builder().fromEnvironment().fromSystemProperties().fromMap(settings).build();
    }

    /**
     * Reads the environment, then system properties.
     *
     * @return the validated configuration
     * @throws io.sessionkit.SessionConfigException listing every invalid value
     */
    public static SessionConfig load() {
        return load(Map.of());
    }

    /**
     * @return a builder with no values set: every key at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder holding this configuration's values, clients and clock
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.values.putAll(values);
        builder.sources.putAll(sources);
        builder.clients.addAll(clients);
        builder.clock = clock;
        return builder;
    }

    /**
     * @return {@code SESSION_TYPE}, lower case; default {@code filesystem}
     */
    public String type() {
        return type;
    }

    /**
     * @return {@code SESSION_PERMANENT}; default {@code true}
     */
    public boolean permanent() {
        return permanent;
    }

    /**
     * @return {@code PERMANENT_SESSION_LIFETIME}: the time to live of stored sessions and of
     *         permanent cookies; default 31 days
     */
    public Duration lifetime() {
        return lifetime;
    }

    /**
     * @return {@code SESSION_REFRESH_EACH_REQUEST}; default {@code true}
     */
    public boolean refreshEachRequest() {
        return refreshEachRequest;
    }

    /**
     * @return {@code SESSION_KEY_PREFIX}; default {@code session:}
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * @return {@code SESSION_ID_LENGTH} in random bytes; default 32
     */
    public int idLength() {
        return idLength;
    }

    /**
     * @return {@code SESSION_SERIALIZATION_FORMAT}, lower case; default {@code json}
     */
    public String serializationFormat() {
        return serializationFormat;
    }

    /**
     * @return {@code SESSION_MAX_SIZE} in bytes, 0 for no limit; default 1 MiB
     */
    public long maxSize() {
        return maxSize;
    }

    /**
     * @return {@code SESSION_USE_SIGNER}; default {@code false}
     */
    public boolean useSigner() {
        return useSigner;
    }

    /**
     * @return {@code SECRET_KEY} followed by {@code SECRET_KEY_FALLBACKS}; the first signs
     */
    public List<String> secretKeys() {
        return secretKeys;
    }

    /**
     * @return {@code SESSION_SIGNER_SALT}; default {@code sessionkit}
     */
    public String signerSalt() {
        return signerSalt;
    }

    /**
     * @return {@code SESSION_SIGNER_DIGEST}: {@code sha1}, {@code sha256} (default),
     *         {@code sha384} or {@code sha512}
     */
    public String signerDigest() {
        return signerDigest;
    }

    /**
     * @return the cookie's attributes
     */
    public CookieSettings cookie() {
        return cookie;
    }

    /**
     * @return {@code SESSION_ABSOLUTE_LIFETIME}: how long a session may live however often it is
     *         used, or empty when off (the default)
     */
    public Optional<Duration> absoluteLifetime() {
        return absoluteLifetime;
    }

    /**
     * @return {@code SESSION_LOCKING}; default {@code false}
     */
    public boolean locking() {
        return locking;
    }

    /**
     * @return {@code SESSION_LOCK_TIMEOUT}: how long a request waits for its session's lock;
     *         default 10 seconds
     */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /**
     * @return {@code SESSION_LOCK_LEASE}: how long a lock holds unless released; default 30 seconds
     */
    public Duration lockLease() {
        return lockLease;
    }

    /**
     * @return whether {@code SESSION_CONFLICT} is {@code fail}; the default,
     *         {@code last-writer-wins}, returns {@code false}
     */
    public boolean failOnConflict() {
        return failOnConflict;
    }

    /**
     * @return {@code SESSION_REFRESH_MIN_INTERVAL}: the least a refresh of a read-only request must
     *         move the expiry by to happen; zero (the default) when every such request refreshes
     */
    public Duration refreshMinInterval() {
        return refreshMinInterval;
    }

    /**
     * @return {@code SESSION_NEAR_CACHE}: how many sessions, or bytes of them, this process keeps
     *         in memory; {@link NearCacheSize#OFF} by default
     */
    public NearCacheSize nearCache() {
        return nearCache;
    }

    /**
     * @return {@code SESSION_ID_HEADER}: the header that carries the session id, if any
     */
    public Optional<String> idHeader() {
        return Optional.ofNullable(idHeader);
    }

    /**
     * @return {@code SESSION_PRINCIPAL_KEY}: the session attribute that names the logged-in user,
     *         if the engine is to keep an index of each user's sessions
     */
    public Optional<String> principalKey() {
        return Optional.ofNullable(principalKey);
    }

    /**
     * @return whether the session cookie carries the id: when no {@code SESSION_ID_HEADER} is
     *         set, or with {@code SESSION_ID_HEADER_AND_COOKIE}
     */
    public boolean idInCookie() {
        return idInCookie;
    }

    /**
     * The time source for expiry decisions. Backends that check expiry themselves must read the
     * time from here, so that tests can move it.
     *
     * @return the clock; {@link Clock#systemUTC()} unless one was set
     */
    public Clock clock() {
        return clock;
    }

    /**
     * @param key any key
     * @return its value as text, empty when unset
     */
    public Optional<String> get(String key) {
        recordRead(key);
        Object value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    /**
     * @return a reader for typed, validated reads of backend-specific keys
     */
    public ConfigReader reader() {
        return new ConfigReader(this, values);
    }

    void recordRead(String key) {
        readKeys.add(key);
    }

    /**
     * The keys asked for so far, through {@link #get} or a {@link #reader()}: after the engine
     * has started, every key that SessionKit and the installed backend know.
     *
     * @return the keys read, sorted
     */
    public Set<String> readKeys() {
        return Collections.unmodifiableSet(new TreeSet<>(readKeys));
    }

    /**
     * The SessionKit keys that are set but that nothing has read: after start-up, keys that no
     * installed part knows, such as a misspelled one.
     *
     * @return each such key with where it was set ({@code environment variable},
     *         {@code system property} or {@code configuration}), sorted by key
     */
    public Map<String, String> unreadKeys() {
        Map<String, String> unread = new TreeMap<>();
        values.keySet().stream()
                .filter(key -> isSessionKey(key) && !readKeys.contains(key))
                .forEach(key -> unread.put(key, sources.getOrDefault(key, "configuration")));
        return unread;
    }

    /**
     * A client object handed in from code, such as a {@code JedisPooled} or a
     * {@code DataSource}: the backend uses it instead of building its own and does not close it.
     *
     * @param type the client type the backend can use
     * @param <T>  that type
     * @return the first client handed in that is an instance of {@code type}
     */
    public <T> Optional<T> client(Class<T> type) {
        for (Object client : clients) {
            if (type.isInstance(client)) {
                return Optional.of(type.cast(client));
            }
        }
        return Optional.empty();
    }

    /**
     * @return every key set, with secrets masked
     */
    @Override
    public String toString() {
        Map<String, String> printable = new TreeMap<>();
        values.forEach((key, value) -> printable.put(key, ConfigReader.describe(key, value)));
        return "SessionConfig" + printable;
    }

    /**
     * Composes a configuration from sources; a later call overrides an earlier one for the same
     * key. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, String> sources = new LinkedHashMap<>();
        private final List<Object> clients = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Takes the SessionKit keys among the environment variables.
         *
         * @return this builder
         */
        public Builder fromEnvironment() {
            System.getenv().forEach((key, value) -> {
                if (isSessionKey(key)) {
                    set(key, value, "environment variable");
                }
            });
            return this;
        }

        /**
         * Takes the SessionKit keys among the Java system properties.
         *
         * @return this builder
         */
        public Builder fromSystemProperties() {
            System.getProperties().forEach((key, value) -> {
                if (isSessionKey(key.toString())) {
                    set(key.toString(), value, "system property");
                }
            });
            return this;
        }

        /**
         * @param properties every entry is taken
         * @return this builder
         */
        public Builder fromProperties(Properties properties) {
            properties.forEach((key, value) -> set(key.toString(), value));
            return this;
        }

        /**
         * @param settings every entry is taken
         * @return this builder
         */
        public Builder fromMap(Map<String, ?> settings) {
            settings.forEach(this::set);
            return this;
        }

        /**
         * Sets one key. Values may be text or typed: a {@code Duration} for a duration, a
         * {@code Number}, a {@code Boolean}.
         *
         * @param key   the key
         * @param value the value; {@code null} or blank text unsets the key
         * @return this builder
         */
        public Builder set(String key, Object value) {
            return set(key, value, "configuration");
        }

        private Builder set(String key, Object value, String source) {
            if (value == null || (value instanceof CharSequence text && text.toString().isBlank())) {
                values.remove(key);
                sources.remove(key);
            } else {
                values.put(key, value);
                sources.put(key, source);
            }
            return this;
        }

        /**
         * Hands a client object to the backend (a {@code JedisPooled}, a {@code DataSource},
         * a {@code MongoClient}, ...), as Flask-Session accepts a client instance.
         *
         * @param client the client; the application keeps ownership and closes it
         * @return this builder
         */
        public Builder client(Object client) {
            clients.add(java.util.Objects.requireNonNull(client, "client"));
            return this;
        }

        /**
         * @param clock the time source for expiry; tests use a movable one
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the validated configuration
         * @throws io.sessionkit.SessionConfigException listing every invalid engine key
         */
        public SessionConfig build() {
            return new SessionConfig(this);
        }

    }

    /**
     * Whether a name is a SessionKit key, as taken from the environment and system properties:
     * it starts with {@code SESSION_}, or is {@code SECRET_KEY}, {@code SECRET_KEY_FALLBACKS} or
     * {@code PERMANENT_SESSION_LIFETIME}. Bindings use it to filter shared sources such as a
     * servlet context's parameters.
     *
     * @param name a configuration name
     * @return whether SessionKit reads it
     */
    public static boolean isSessionKey(String name) {
        return name.startsWith("SESSION_") || name.equals(ConfigKeys.SECRET_KEY)
                || name.equals(ConfigKeys.SECRET_KEY_FALLBACKS) || name.equals(ConfigKeys.PERMANENT_SESSION_LIFETIME);
    }
}
