package io.sessionkit.bench.http;

import io.sessionkit.ConfigKeys;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.GenericJackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The ways the benchmark keeps the cart, each building the same {@link CartServlet} into a
 * servlet context. Every Redis client gets a pool of {@link #REDIS_POOL_SIZE} connections
 * (SessionKit's default), so that no mode wins or loses by its pool.
 */
enum BenchMode {

    /** No session: the servlet and Jetty alone. */
    NONE("none") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return servletOnly(new FixedCartStorage(), ServletContextHandler.NO_SESSIONS);
        }
    },
    /** Jetty's own in-memory {@code HttpSession}. */
    JETTY_MEMORY("jetty-memory") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return servletOnly(new HttpSessionCartStorage(), ServletContextHandler.SESSIONS);
        }
    },
    /** SessionKit's filter on the filesystem store. */
    SESSIONKIT_FILESYSTEM("sessionkit-filesystem") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return withFilter(new SessionKitFilter(SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "filesystem")
                    .set("SESSION_FILE_DIR", stores.required(stores.fileDirectory(), "--file-dir"))
                    // Far above the sessions a run creates, so that no save prunes.
                    .set("SESSION_FILE_THRESHOLD", "1000000")
                    .build()));
        }
    },
    /**
     * The filesystem store with {@code SESSION_REFRESH_MIN_INTERVAL}: a read-only request within
     * five minutes of the last refresh reads the file and writes nothing.
     */
    SESSIONKIT_FILESYSTEM_THROTTLED("sessionkit-filesystem-throttled") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return withFilter(new SessionKitFilter(SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "filesystem")
                    .set("SESSION_FILE_DIR", stores.required(stores.fileDirectory(), "--file-dir"))
                    .set("SESSION_FILE_THRESHOLD", "1000000")
                    .set(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, THROTTLE)
                    .build()));
        }
    },
    /** SessionKit's filter on the {@code jdbc} store, PostgreSQL. */
    SESSIONKIT_POSTGRES("sessionkit-postgres") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return withFilter(new SessionKitFilter(postgres(stores).build()));
        }
    },
    /** The same with {@code SESSION_REFRESH_MIN_INTERVAL}: read-only requests mostly write nothing. */
    SESSIONKIT_POSTGRES_THROTTLED("sessionkit-postgres-throttled") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return withFilter(new SessionKitFilter(postgres(stores)
                    .set(ConfigKeys.SESSION_REFRESH_MIN_INTERVAL, THROTTLE).build()));
        }
    },
    /** SessionKit's filter on Redis. */
    SESSIONKIT_REDIS("sessionkit-redis") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return withFilter(new SessionKitFilter(SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "redis")
                    .set("SESSION_REDIS", "redis://127.0.0.1:" + stores.required(stores.redisPort(), "--redis-port"))
                    .set("SESSION_REDIS_POOL_SIZE", Integer.toString(REDIS_POOL_SIZE))
                    .build()));
        }
    },
    /** SessionKit's filter on Redis with {@code SESSION_LOCKING}: requests of one session one at a time. */
    SESSIONKIT_REDIS_LOCKING("sessionkit-redis-locking") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return withFilter(new SessionKitFilter(SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "redis")
                    .set("SESSION_REDIS", "redis://127.0.0.1:" + stores.required(stores.redisPort(), "--redis-port"))
                    .set("SESSION_REDIS_POOL_SIZE", Integer.toString(REDIS_POOL_SIZE))
                    .set(ConfigKeys.SESSION_LOCKING, "true")
                    .build()));
        }
    },
    /** SessionKit's filter on memcached. */
    SESSIONKIT_MEMCACHED("sessionkit-memcached") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            return withFilter(new SessionKitFilter(SessionConfig.builder()
                    .set(ConfigKeys.SESSION_TYPE, "memcached")
                    .set("SESSION_MEMCACHED", "127.0.0.1:" + stores.required(stores.memcachedPort(), "--memcached-port"))
                    .build()));
        }
    },
    /** Spring Session's {@code RedisSessionRepository} (a hash per session), without Spring Boot. */
    SPRING_REDIS("spring-redis") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            RedisTemplate<String, Object> template = springTemplate(stores, resources);
            return withFilter(springFilter(new RedisSessionRepository(template)));
        }
    },
    /**
     * Spring Session's {@code RedisIndexedSessionRepository} (hash, expiry key and expiration set
     * per session, what {@code @EnableRedisIndexedHttpSession} sets up), without Spring Boot. Its
     * once-a-minute expired-session clean-up is switched off so that it does not run inside a
     * measured window.
     */
    SPRING_REDIS_INDEXED("spring-redis-indexed") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            RedisTemplate<String, Object> template = springTemplate(stores, resources);
            RedisIndexedSessionRepository repository = new RedisIndexedSessionRepository(template);
            repository.setDefaultSerializer(new GenericJackson2JsonRedisSerializer());
            repository.setCleanupCron("-");
            repository.afterPropertiesSet();
            resources.add(repository::destroy);
            return withFilter(springFilter(repository));
        }
    },
    /** The hand-written minimum: Jedis {@code GETEX}/{@code SETEX} of the JSON cart. */
    HANDWRITTEN_REDIS("handwritten-redis") {
        @Override
        ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources) {
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(REDIS_POOL_SIZE);
            pool.setMaxIdle(REDIS_POOL_SIZE);
            JedisPooled redis = new JedisPooled(pool, "127.0.0.1", stores.required(stores.redisPort(), "--redis-port"));
            resources.add(redis);
            return servletOnly(new HandWrittenRedisCartStorage(redis), ServletContextHandler.NO_SESSIONS);
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
     * Builds the servlet context of this mode.
     *
     * @param stores    where the stores listen
     * @param resources receives what must be closed when the server stops
     * @return the context, serving the cart servlet at {@code /}
     */
    abstract ServletContextHandler context(StoreAddresses stores, List<AutoCloseable> resources);

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

    private static ServletContextHandler servletOnly(CartStorage storage, int options) {
        ServletContextHandler context = new ServletContextHandler(options);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new CartServlet(storage)), "/");
        return context;
    }

    private static ServletContextHandler withFilter(Filter filter) {
        ServletContextHandler context = servletOnly(new HttpSessionCartStorage(), ServletContextHandler.NO_SESSIONS);
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        return context;
    }

    private static <S extends org.springframework.session.Session> Filter springFilter(SessionRepository<S> repository) {
        return new SessionRepositoryFilter<>(repository);
    }

    /**
     * A template wired as Spring Session's own configuration wires it: string keys and hash keys,
     * and here the JSON serializer Spring documents for JSON sessions for every value.
     */
    private static RedisTemplate<String, Object> springTemplate(StoreAddresses stores, List<AutoCloseable> resources) {
        GenericObjectPoolConfig<Jedis> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(REDIS_POOL_SIZE);
        pool.setMaxIdle(REDIS_POOL_SIZE);
        JedisConnectionFactory connections = new JedisConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", stores.required(stores.redisPort(), "--redis-port")),
                JedisClientConfiguration.builder().usePooling().poolConfig(pool).build());
        connections.afterPropertiesSet();
        connections.start();
        resources.add(connections::destroy);

        RedisSerializer<Object> json = new GenericJackson2JsonRedisSerializer();
        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setConnectionFactory(connections);
        template.setKeySerializer(RedisSerializer.string());
        template.setHashKeySerializer(RedisSerializer.string());
        template.setDefaultSerializer(json);
        template.setValueSerializer(json);
        template.setHashValueSerializer(json);
        template.afterPropertiesSet();
        return template;
    }
}
