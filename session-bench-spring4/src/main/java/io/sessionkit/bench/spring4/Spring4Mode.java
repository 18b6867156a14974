package io.sessionkit.bench.spring4;

import io.sessionkit.bench.http.CartContexts;
import io.sessionkit.bench.http.CartMode;
import io.sessionkit.bench.http.SessionSize;
import io.sessionkit.bench.http.StoreAddresses;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Spring Session 4's Redis repositories on each of Spring Data Redis's two clients, wired as
 * session-bench wires Spring Session 3.5, behind the same cart servlet.
 */
enum Spring4Mode implements CartMode {

    /** {@code RedisSessionRepository} (a hash per session) on the Jedis connection factory. */
    SPRING4_REDIS("spring4-redis") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return filtered(new RedisSessionRepository(Spring4Redis.template(Spring4Redis.jedis(stores, resources))), size);
        }
    },
    /** The same on the Lettuce connection factory. */
    SPRING4_REDIS_LETTUCE("spring4-redis-lettuce") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return filtered(new RedisSessionRepository(Spring4Redis.template(Spring4Redis.lettuce(stores, resources))), size);
        }
    },
    /** {@code RedisIndexedSessionRepository} (hash, expiry key, expiration set) on Jedis. */
    SPRING4_REDIS_INDEXED("spring4-redis-indexed") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return filtered(Spring4Redis.indexed(Spring4Redis.template(Spring4Redis.jedis(stores, resources)), resources), size);
        }
    },
    /** The same on Lettuce. */
    SPRING4_REDIS_INDEXED_LETTUCE("spring4-redis-indexed-lettuce") {
        @Override
        public ServletContextHandler context(StoreAddresses stores, SessionSize size, List<AutoCloseable> resources) {
            return filtered(Spring4Redis.indexed(Spring4Redis.template(Spring4Redis.lettuce(stores, resources)), resources), size);
        }
    };

    private final String label;

    Spring4Mode(String label) {
        this.label = label;
    }

    static Spring4Mode byLabel(String label) {
        return Stream.of(values())
                .filter(mode -> mode.label.equals(label.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mode '" + label + "'; the modes of this server are "
                        + Stream.of(values()).map(mode -> mode.label).collect(Collectors.joining(", "))));
    }

    private static <S extends Session> ServletContextHandler filtered(SessionRepository<S> repository, SessionSize size) {
        return CartContexts.behindSessionFilter(new SessionRepositoryFilter<>(repository), size);
    }
}
