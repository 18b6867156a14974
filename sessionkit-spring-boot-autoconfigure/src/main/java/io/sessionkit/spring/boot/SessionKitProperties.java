package io.sessionkit.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code sessionkit.*} properties: SessionKit's configuration keys under Spring names
 * ({@code sessionkit.cookie.name} is {@code SESSION_COOKIE_NAME}), for the IDE's completion and
 * relaxed binding. Each value goes to SessionKit as written, so it has the syntax that
 * {@code docs/configuration.md} gives for its key (durations as {@code PT30M} or seconds) and is
 * checked by SessionKit at start-up, with SessionKit's message. The auto-configuration reads the
 * values from the {@code Environment} by the rule of its documentation, which covers every key,
 * a third-party backend's too; this class describes SessionKit's own keys.
 */
@ConfigurationProperties("sessionkit")
public class SessionKitProperties {

    /** Whether SessionKit serves the application's sessions; false leaves them to the container. */
    private boolean enabled = true;

    /** SESSION_TYPE: the backend, such as filesystem, redis, jdbc, mongodb, dynamodb, memcached or null. */
    private String type = "filesystem";
    /** SESSION_PERMANENT: whether new sessions are permanent (their cookie outlives the browser). */
    private Boolean permanent = true;
    /** PERMANENT_SESSION_LIFETIME: how long a stored session lives after its last save or refresh: an ISO-8601 duration such as P31D, or seconds. */
    private String permanentSessionLifetime = "P31D";
    /** SESSION_ABSOLUTE_LIFETIME: how long a session may live however often it is used; off when unset. */
    private String absoluteLifetime;
    /** SESSION_REFRESH_EACH_REQUEST: extend a permanent session's expiry on every request that uses it. */
    private Boolean refreshEachRequest = true;
    /** SESSION_REFRESH_MIN_INTERVAL: skip the refresh of a read-only request that would move the expiry by less than this. */
    private String refreshMinInterval = "0";
    /** SESSION_NEAR_CACHE: sessions (10000) or bytes (64MiB) kept in this node's memory, kept coherent by the store (Redis); needs refresh-min-interval. */
    private String nearCache = "off";
    /** SESSION_KEY_PREFIX: prefix of every key a session is stored under. */
    private String keyPrefix = "session:";
    /** SESSION_SERIALIZATION_FORMAT: how sessions are stored. */
    private String serializationFormat = "json";
    /** SESSION_MAX_SIZE: largest serialized session accepted, in bytes; 0 turns the check off. */
    private Long maxSize = 1048576L;
    /** SESSION_USE_SIGNER: sign the id in the cookie with the secret key. */
    private Boolean useSigner = false;
    /** SECRET_KEY: the signing key, required with use-signer; never printed. */
    private String secretKey;
    /** SECRET_KEY_FALLBACKS: older keys still accepted when verifying, as a JSON array of strings. */
    private String secretKeyFallbacks;
    /** SESSION_CONFLICT: what a save does when another request changed what this one read and wrote: last-writer-wins or fail. */
    private String conflict = "last-writer-wins";
    /** SESSION_LOCKING: run the requests of one session one after the other. */
    private Boolean locking = false;
    /** SESSION_PRINCIPAL_KEY: the session attribute that names the logged-in user, for listing and revoking a user's sessions. */
    private String principalKey;

    private final SpringSecurity springSecurity = new SpringSecurity();
    private final Metrics metrics = new Metrics();
    private final Signer signer = new Signer();
    private final Id id = new Id();
    private final Lock lock = new Lock();
    private final Cookie cookie = new Cookie();
    private final Redis redis = new Redis();
    private final Jdbc jdbc = new Jdbc();
    private final Mongodb mongodb = new Mongodb();
    private final Dynamodb dynamodb = new Dynamodb();
    private final Memcached memcached = new Memcached();
    private final File file = new File();

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public Boolean getPermanent() {
        return permanent;
    }

    public void setPermanent(Boolean permanent) {
        this.permanent = permanent;
    }

    public String getPermanentSessionLifetime() {
        return permanentSessionLifetime;
    }

    public void setPermanentSessionLifetime(String permanentSessionLifetime) {
        this.permanentSessionLifetime = permanentSessionLifetime;
    }

    public String getAbsoluteLifetime() {
        return absoluteLifetime;
    }

    public void setAbsoluteLifetime(String absoluteLifetime) {
        this.absoluteLifetime = absoluteLifetime;
    }

    public Boolean getRefreshEachRequest() {
        return refreshEachRequest;
    }

    public void setRefreshEachRequest(Boolean refreshEachRequest) {
        this.refreshEachRequest = refreshEachRequest;
    }

    public String getRefreshMinInterval() {
        return refreshMinInterval;
    }

    public void setRefreshMinInterval(String refreshMinInterval) {
        this.refreshMinInterval = refreshMinInterval;
    }

    public String getNearCache() {
        return nearCache;
    }

    public void setNearCache(String nearCache) {
        this.nearCache = nearCache;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public String getSerializationFormat() {
        return serializationFormat;
    }

    public void setSerializationFormat(String serializationFormat) {
        this.serializationFormat = serializationFormat;
    }

    public Long getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(Long maxSize) {
        this.maxSize = maxSize;
    }

    public Boolean getUseSigner() {
        return useSigner;
    }

    public void setUseSigner(Boolean useSigner) {
        this.useSigner = useSigner;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getSecretKeyFallbacks() {
        return secretKeyFallbacks;
    }

    public void setSecretKeyFallbacks(String secretKeyFallbacks) {
        this.secretKeyFallbacks = secretKeyFallbacks;
    }

    public String getConflict() {
        return conflict;
    }

    public void setConflict(String conflict) {
        this.conflict = conflict;
    }

    public Boolean getLocking() {
        return locking;
    }

    public void setLocking(Boolean locking) {
        this.locking = locking;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public SpringSecurity getSpringSecurity() {
        return springSecurity;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public String getPrincipalKey() {
        return principalKey;
    }

    public void setPrincipalKey(String principalKey) {
        this.principalKey = principalKey;
    }

    public Signer getSigner() {
        return signer;
    }

    public Id getId() {
        return id;
    }

    public Lock getLock() {
        return lock;
    }

    public Cookie getCookie() {
        return cookie;
    }

    public Redis getRedis() {
        return redis;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Mongodb getMongodb() {
        return mongodb;
    }

    public Dynamodb getDynamodb() {
        return dynamodb;
    }

    public Memcached getMemcached() {
        return memcached;
    }

    public File getFile() {
        return file;
    }

    /** Whether the starter stores Spring Security's state in the session in a form SessionKit's JSON keeps. */
    public static class SpringSecurity {

        /** Store the security context and the CSRF token as JSON-friendly values, and keep the saved request in a cookie. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The starter's Micrometer binding. */
    public static class Metrics {

        /** Record SessionKit's meters (session-micrometer) in the application's MeterRegistry, when both are on the class path. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The signer's settings. */
    public static class Signer {

        /** SESSION_SIGNER_SALT: salt of the signer's key derivation. */
        private String salt = "sessionkit";
        /** SESSION_SIGNER_DIGEST: HMAC digest: sha1, sha256, sha384 or sha512. */
        private String digest = "sha256";

        public String getSalt() {
            return salt;
        }

        public void setSalt(String salt) {
            this.salt = salt;
        }

        public String getDigest() {
            return digest;
        }

        public void setDigest(String digest) {
            this.digest = digest;
        }
    }

    /** The session id's settings. */
    public static class Id {

        /** SESSION_ID_LENGTH: random bytes in a session id, 16 to 128. */
        private Integer length = 32;
        /** SESSION_ID_HEADER: a request header, such as X-Auth-Token, that carries the session id instead of the cookie. */
        private String header;
        /** SESSION_ID_HEADER_AND_COOKIE: with id.header, accept and send the id in the cookie as well. */
        private Boolean headerAndCookie = false;

        public Integer getLength() {
            return length;
        }

        public void setLength(Integer length) {
            this.length = length;
        }

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = header;
        }

        public Boolean getHeaderAndCookie() {
            return headerAndCookie;
        }

        public void setHeaderAndCookie(Boolean headerAndCookie) {
            this.headerAndCookie = headerAndCookie;
        }
    }

    /** The session lock's settings. */
    public static class Lock {

        /** SESSION_LOCK_TIMEOUT: how long a request waits for its session's lock. */
        private String timeout = "PT10S";
        /** SESSION_LOCK_LEASE: how long a lock holds unless released. */
        private String lease = "PT30S";

        public String getTimeout() {
            return timeout;
        }

        public void setTimeout(String timeout) {
            this.timeout = timeout;
        }

        public String getLease() {
            return lease;
        }

        public void setLease(String lease) {
            this.lease = lease;
        }
    }

    /** The session cookie's settings. */
    public static class Cookie {

        /** SESSION_COOKIE_NAME: name of the session cookie. */
        private String name = "session";
        /** SESSION_COOKIE_DOMAIN: Domain attribute; unset for a host-only cookie. */
        private String domain;
        /** SESSION_COOKIE_PATH: Path attribute. */
        private String path = "/";
        /** SESSION_COOKIE_HTTPONLY: HttpOnly attribute. */
        private Boolean httponly = true;
        /** SESSION_COOKIE_SECURE: Secure attribute; turn it on in production. */
        private Boolean secure = false;
        /** SESSION_COOKIE_SAMESITE: SameSite attribute: Strict, Lax or None. */
        private String samesite;
        /** SESSION_COOKIE_PARTITIONED: Partitioned attribute (CHIPS); requires cookie.secure. */
        private Boolean partitioned = false;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getDomain() {
            return domain;
        }

        public void setDomain(String domain) {
            this.domain = domain;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public Boolean getHttponly() {
            return httponly;
        }

        public void setHttponly(Boolean httponly) {
            this.httponly = httponly;
        }

        public Boolean getSecure() {
            return secure;
        }

        public void setSecure(Boolean secure) {
            this.secure = secure;
        }

        public String getSamesite() {
            return samesite;
        }

        public void setSamesite(String samesite) {
            this.samesite = samesite;
        }

        public Boolean getPartitioned() {
            return partitioned;
        }

        public void setPartitioned(Boolean partitioned) {
            this.partitioned = partitioned;
        }
    }

    /** The redis backend's settings. */
    public static class Redis {

        /** SESSION_REDIS: one server: redis://[user:password@]host:port[/db], rediss:// for TLS. */
        private String url = "redis://127.0.0.1:6379";
        /** SESSION_REDIS_SENTINELS: Sentinel: host:port list of the Sentinels. */
        private String sentinels;
        /** SESSION_REDIS_SENTINEL_MASTER: Sentinel: the monitored master's name. */
        private String sentinelMaster;
        /** SESSION_REDIS_SENTINEL_PASSWORD: Sentinel: the Sentinels' own password. */
        private String sentinelPassword;
        /** SESSION_REDIS_SENTINEL_TLS: Sentinel: TLS to the Sentinels, when it differs from redis.tls. */
        private Boolean sentinelTls;
        /** SESSION_REDIS_CLUSTER: Cluster: host:port list of some nodes. */
        private String cluster;
        /** SESSION_REDIS_TLS: TLS to the Sentinel master or to every Cluster node. */
        private Boolean tls = false;
        /** SESSION_REDIS_USERNAME: Sentinel and Cluster: the data nodes' user. */
        private String username;
        /** SESSION_REDIS_PASSWORD: Sentinel and Cluster: the data nodes' password. */
        private String password;
        /** SESSION_REDIS_CONNECT_TIMEOUT: connect timeout. */
        private String connectTimeout = "2";
        /** SESSION_REDIS_TIMEOUT: command timeout, and wait for a pooled connection. */
        private String timeout = "2";
        /** SESSION_REDIS_POOL_SIZE: most connections at once (per node on a Cluster). */
        private Integer poolSize = 16;
        /** SESSION_REDIS_EXPIRY_EVENTS: tell expired sessions to SessionListener.expired from the server's keyspace events. */
        private Boolean expiryEvents = false;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getSentinels() {
            return sentinels;
        }

        public void setSentinels(String sentinels) {
            this.sentinels = sentinels;
        }

        public String getSentinelMaster() {
            return sentinelMaster;
        }

        public void setSentinelMaster(String sentinelMaster) {
            this.sentinelMaster = sentinelMaster;
        }

        public String getSentinelPassword() {
            return sentinelPassword;
        }

        public void setSentinelPassword(String sentinelPassword) {
            this.sentinelPassword = sentinelPassword;
        }

        public Boolean getSentinelTls() {
            return sentinelTls;
        }

        public void setSentinelTls(Boolean sentinelTls) {
            this.sentinelTls = sentinelTls;
        }

        public String getCluster() {
            return cluster;
        }

        public void setCluster(String cluster) {
            this.cluster = cluster;
        }

        public Boolean getTls() {
            return tls;
        }

        public void setTls(Boolean tls) {
            this.tls = tls;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(String connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public String getTimeout() {
            return timeout;
        }

        public void setTimeout(String timeout) {
            this.timeout = timeout;
        }

        public Integer getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(Integer poolSize) {
            this.poolSize = poolSize;
        }

        public Boolean getExpiryEvents() {
            return expiryEvents;
        }

        public void setExpiryEvents(Boolean expiryEvents) {
            this.expiryEvents = expiryEvents;
        }
    }

    /** The jdbc backend's settings. */
    public static class Jdbc {

        /** SESSION_JDBC_URL: JDBC URL; unset to use the application's DataSource bean. */
        private String url;
        /** SESSION_JDBC_USER: database user. */
        private String user;
        /** SESSION_JDBC_PASSWORD: database password; never printed. */
        private String password;
        /** SESSION_JDBC_POOL_SIZE: most pooled connections. */
        private Integer poolSize = 10;
        /** SESSION_JDBC_TABLE: table, optionally schema-qualified. */
        private String table = "sessions";
        /** SESSION_JDBC_CREATE_TABLE: create the table at start-up when missing. */
        private Boolean createTable = true;
        /** SESSION_JDBC_CLEANUP_INTERVAL: pause between background deletions of expired rows; 0 turns them off. */
        private String cleanupInterval = "PT5M";
        /** SESSION_JDBC_TIMEOUT: wait for a connection, and statement timeout. */
        private String timeout = "PT5S";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Integer getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(Integer poolSize) {
            this.poolSize = poolSize;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public Boolean getCreateTable() {
            return createTable;
        }

        public void setCreateTable(Boolean createTable) {
            this.createTable = createTable;
        }

        public String getCleanupInterval() {
            return cleanupInterval;
        }

        public void setCleanupInterval(String cleanupInterval) {
            this.cleanupInterval = cleanupInterval;
        }

        public String getTimeout() {
            return timeout;
        }

        public void setTimeout(String timeout) {
            this.timeout = timeout;
        }
    }

    /** The mongodb backend's settings. */
    public static class Mongodb {

        /** SESSION_MONGODB: connection string; unset to use the application's MongoClient bean. */
        private String url = "mongodb://127.0.0.1:27017";
        /** SESSION_MONGODB_DB: database. */
        private String db = "flask_session";
        /** SESSION_MONGODB_COLLECT: collection. */
        private String collect = "sessions";
        /** SESSION_MONGODB_TIMEOUT: server selection, connect and read timeout. */
        private String timeout = "5";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getDb() {
            return db;
        }

        public void setDb(String db) {
            this.db = db;
        }

        public String getCollect() {
            return collect;
        }

        public void setCollect(String collect) {
            this.collect = collect;
        }

        public String getTimeout() {
            return timeout;
        }

        public void setTimeout(String timeout) {
            this.timeout = timeout;
        }
    }

    /** The dynamodb backend's settings. */
    public static class Dynamodb {

        /** SESSION_DYNAMODB_TABLE: table. */
        private String table = "Sessions";
        /** SESSION_DYNAMODB_REGION: region; unset for the SDK's region chain or the application's DynamoDbClient bean. */
        private String region;
        /** SESSION_DYNAMODB_ENDPOINT_URL: another endpoint, such as DynamoDB Local. */
        private String endpointUrl;
        /** SESSION_DYNAMODB_KEY_ID: access key id. */
        private String keyId;
        /** SESSION_DYNAMODB_SECRET: secret access key; never printed. */
        private String secret;
        /** SESSION_DYNAMODB_CREATE_TABLE: create the table when missing. */
        private Boolean createTable = true;
        /** SESSION_DYNAMODB_TABLE_EXISTS: Flask-Session's inverse of dynamodb.create-table. */
        private Boolean tableExists = false;
        /** SESSION_DYNAMODB_TIMEOUT: connect and read timeout, and bound on each call. */
        private String timeout = "5";

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        public String getEndpointUrl() {
            return endpointUrl;
        }

        public void setEndpointUrl(String endpointUrl) {
            this.endpointUrl = endpointUrl;
        }

        public String getKeyId() {
            return keyId;
        }

        public void setKeyId(String keyId) {
            this.keyId = keyId;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public Boolean getCreateTable() {
            return createTable;
        }

        public void setCreateTable(Boolean createTable) {
            this.createTable = createTable;
        }

        public Boolean getTableExists() {
            return tableExists;
        }

        public void setTableExists(Boolean tableExists) {
            this.tableExists = tableExists;
        }

        public String getTimeout() {
            return timeout;
        }

        public void setTimeout(String timeout) {
            this.timeout = timeout;
        }
    }

    /** The memcached backend's settings. */
    public static class Memcached {

        /** SESSION_MEMCACHED: servers, a host:port list. */
        private String servers = "127.0.0.1:11211";
        /** SESSION_MEMCACHED_TIMEOUT: operation timeout. */
        private String timeout = "1";
        /** SESSION_MEMCACHED_ITEM_SIZE_MAX: the servers' item size limit (-I). */
        private Long itemSizeMax = 1048576L;

        public String getServers() {
            return servers;
        }

        public void setServers(String servers) {
            this.servers = servers;
        }

        public String getTimeout() {
            return timeout;
        }

        public void setTimeout(String timeout) {
            this.timeout = timeout;
        }

        public Long getItemSizeMax() {
            return itemSizeMax;
        }

        public void setItemSizeMax(Long itemSizeMax) {
            this.itemSizeMax = itemSizeMax;
        }
    }

    /** The filesystem backend's settings. */
    public static class File {

        /** SESSION_FILE_DIR: directory of the session files. */
        private String dir = "flask_session";
        /** SESSION_FILE_THRESHOLD: session files kept before pruning. */
        private Integer threshold = 100000;
        /** SESSION_FILE_MODE: permissions of session files, octal. */
        private String mode = "0600";

        public String getDir() {
            return dir;
        }

        public void setDir(String dir) {
            this.dir = dir;
        }

        public Integer getThreshold() {
            return threshold;
        }

        public void setThreshold(Integer threshold) {
            this.threshold = threshold;
        }

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }
    }
}
