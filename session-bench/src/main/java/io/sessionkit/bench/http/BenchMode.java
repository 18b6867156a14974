package io.sessionkit.bench.http;

import io.sessionkit.ConfigKeys;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The ways the benchmark keeps the visitors' sessions, each building the same {@link CartServlet}
 * into a servlet context. Every pooled Redis client gets a pool of {@link #REDIS_POOL_SIZE}
 * connections (SessionKit's default), so that no mode wins or loses by its pool; Lettuce shares
 * one connection, as Spring Boot sets it up.
 */
enum BenchMode implements CartMode {

    /** No session: the servlet and Jetty alone. */
    NONE("none") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return CartContexts.servletOnly(new FixedCartStorage(size), size, ServletContextHandler.NO_SESSIONS);
        }
    },
    /** Jetty's own in-memory {@code HttpSession}. */
    JETTY_MEMORY("jetty-memory") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return CartContexts.servletOnly(new HttpSessionCartStorage(), size, ServletContextHandler.SESSIONS);
        }
    },
    /** SessionKit's filter on the filesystem store. */
    SESSIONKIT_FILESYSTEM("sessionkit-filesystem") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return sessionKit(size, SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "filesystem")
                    .set("SESSION_FILE_DIR", stores.required(stores.fileDirectory(), "--file-dir"))
                    // Far above the sessions a run creates, so that no save prunes.
                    .set("SESSION_FILE_THRESHOLD", "1000000"));
        }
    },
    /**
     * The filesystem store with {@code SESSION_REFRESH_MIN_INTERVAL}: a read-only request within
     * five minutes of the last refresh reads the file and writes nothing.
     */
    SESSIONKIT_FILESYSTEM_THROTTLED("sessionkit-filesystem-throttled") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return sessionKit(size, SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "filesystem")
                    .set("SESSION_FILE_DIR", stores.required(stores.fileDirectory(), "--file-dir"))
                    .set("SESSION_FILE_THRESHOLD", "1000000")
                    .set(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, THROTTLE));
        }
    },
    /** SessionKit's filter on the {@code jdbc} store, PostgreSQL. */
    SESSIONKIT_POSTGRES("sessionkit-postgres") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return sessionKit(size, postgres(stores));
        }
    },
    /** The same with {@code SESSION_REFRESH_MIN_INTERVAL}: read-only requests mostly write nothing. */
    SESSIONKIT_POSTGRES_THROTTLED("sessionkit-postgres-throttled") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return sessionKit(size, postgres(stores).set(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, THROTTLE));
        }
    },
    /** SessionKit's filter on Redis. */
    SESSIONKIT_REDIS("sessionkit-redis") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return sessionKit(size, SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "redis")
                    .set("SESSION_REDIS", "redis://127.0.0.1:" + stores.required(stores.redisPort(), "--redis-port"))
                    .set("SESSION_REDIS_POOL_SIZE", Integer.toString(REDIS_POOL_SIZE)));
        }
    },
    /** SessionKit's filter on Redis with {@code SESSION_LOCKING}: requests of one session one at a time. */
    SESSIONKIT_REDIS_LOCKING("sessionkit-redis-locking") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return sessionKit(size, SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "redis")
                    .set("SESSION_REDIS", "redis://127.0.0.1:" + stores.required(stores.redisPort(), "--redis-port"))
                    .set("SESSION_REDIS_POOL_SIZE", Integer.toString(REDIS_POOL_SIZE))
                    .set(ConfigKeys.SESSION_LOCKING, "true"));
        }
    },
    /** SessionKit's filter on memcached. */
    SESSIONKIT_MEMCACHED("sessionkit-memcached") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return sessionKit(size, SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "memcached")
                    .set("SESSION_MEMCACHED", "127.0.0.1:" + stores.required(stores.memcachedPort(), "--memcached-port")));
        }
    },
    /**
     * Spring Session's {@code RedisSessionRepository} (a hash per session), without Spring Boot,
     * on the Jedis connection factory.
     */
    SPRING_REDIS("spring-redis") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return spring(new RedisSessionRepository(SpringRedis.template(SpringRedis.jedis(stores, resources))), size);
        }
    },
    /** The same on the Lettuce connection factory. */
    SPRING_REDIS_LETTUCE("spring-redis-lettuce") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return spring(new RedisSessionRepository(SpringRedis.template(SpringRedis.lettuce(stores, resources))), size);
        }
    },
    /**
     * Spring Session's {@code RedisIndexedSessionRepository} (hash, expiry key and expiration set
     * per session, what {@code @EnableRedisIndexedHttpSession} sets up), without Spring Boot, on
     * the Jedis connection factory.
     */
    SPRING_REDIS_INDEXED("spring-redis-indexed") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return spring(SpringRedis.indexed(SpringRedis.template(SpringRedis.jedis(stores, resources)), resources), size);
        }
    },
    /** The same on the Lettuce connection factory. */
    SPRING_REDIS_INDEXED_LETTUCE("spring-redis-indexed-lettuce") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return spring(SpringRedis.indexed(SpringRedis.template(SpringRedis.lettuce(stores, resources)), resources), size);
        }
    },
    /** The hand-written minimum: Jedis {@code GETEX}/{@code SETEX} of the JSON cart. */
    HANDWRITTEN_REDIS("handwritten-redis") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(REDIS_POOL_SIZE);
            pool.setMaxIdle(REDIS_POOL_SIZE);
            JedisPooled redis = new JedisPooled(pool, "127.0.0.1", stores.required(stores.redisPort(), "--redis-port"));
            resources.add(redis);
            return CartContexts.servletOnly(new HandWrittenRedisCartStorage(redis), size, ServletContextHandler.NO_SESSIONS);
        }
    };

    static final int REDIS_POOL_SIZE = 16;
    /** The refresh interval of the throttled modes: far longer than a run, so reads never refresh. */
    static final String THROTTLE = "PT5M";
    /** The table the PostgreSQL modes use, emptied by bench/http.sh before each. */
    static final String JDBC_TABLE = "bench_sessions";

    private static SessionConfig.Builder postgres(StoreAddresses stores) {
        return SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "jdbc")
                .set("SESSION_JDBC_URL", stores.required(stores.jdbcUrl(), "--jdbc-url"))
                .set("SESSION_JDBC_TABLE", JDBC_TABLE)
                .set("SESSION_JDBC_POOL_SIZE", Integer.toString(REDIS_POOL_SIZE));
    }

    private final String label;

    BenchMode(String label) {
        this.label = label;
    }

    /** @return the name the benchmark script and its table use */
    String label() {
        return label;
    }

    /**
     * @param label a mode's label, as {@link #label()} gives it
     * @return the mode
     */
    static BenchMode byLabel(String label) {
        for (BenchMode mode : values()) {
            if (mode.label.equals(label.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + label + "'; the modes are "
                + String.join(", ", EnumSet.allOf(BenchMode.class).stream().map(BenchMode::label).toList()));
    }

    /**
     * SessionKit's filter with the mode's settings, and over them any SessionKit key set in the
     * server's environment, so that bench/http.sh can run a mode with extra settings without a
     * mode of its own here. A key no part of SessionKit reads is logged as a warning, not refused.
     */
    private static ServletContextHandler sessionKit(SessionSize size, SessionConfig.Builder settings) {
        return CartContexts.behindSessionFilter(new SessionKitFilter(settings.fromEnvironment().build()), size);
    }

    private static <S extends Session> ServletContextHandler spring(
            SessionRepository<S> repository, SessionSize size) {
        return CartContexts.behindSessionFilter(new SessionRepositoryFilter<>(repository), size);
    }
}
