package io.sessionkit.bench.spring4;

import io.sessionkit.bench.http.StoreAddresses;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.GenericJackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import redis.clients.jedis.Jedis;

import java.util.List;

/**
 * Spring Session 4's Redis repositories wired by hand as its own configuration classes wire them,
 * without an application context: the same wiring as session-bench's for Spring Session 3.5,
 * compiled against Spring Data Redis 4.
 */
final class Spring4Redis {

    /** The pool of every pooled Redis client in the load test, as in session-bench. */
    static final int REDIS_POOL_SIZE = 16;

    private Spring4Redis() {
    }

    /** A Jedis connection factory with a pool of {@link #REDIS_POOL_SIZE} connections. */
    static RedisConnectionFactory jedis(StoreAddresses stores, List<AutoCloseable> resources) {
        GenericObjectPoolConfig<Jedis> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(REDIS_POOL_SIZE);
        pool.setMaxIdle(REDIS_POOL_SIZE);
        JedisConnectionFactory connections = new JedisConnectionFactory(standalone(stores),
                JedisClientConfiguration.builder().usePooling().poolConfig(pool).build());
        connections.afterPropertiesSet();
        connections.start();
        resources.add(connections::destroy);
        return connections;
    }

    /**
     * A Lettuce connection factory as Spring Boot configures it by default: one shared,
     * pipelining connection for all threads, no pool.
     */
    static RedisConnectionFactory lettuce(StoreAddresses stores, List<AutoCloseable> resources) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(standalone(stores));
        connections.afterPropertiesSet();
        connections.start();
        resources.add(connections::destroy);
        return connections;
    }

    /**
     * A template wired as Spring Session's own configuration wires it: string keys and hash keys,
     * and here the JSON serializer Spring documents for JSON sessions for every value.
     */
    static RedisTemplate<String, Object> template(RedisConnectionFactory connections) {
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

    /**
     * The indexed repository with the JSON serializer. Its once-a-minute expired-session clean-up
     * is switched off so that it does not run inside a measured window.
     */
    static RedisIndexedSessionRepository indexed(RedisTemplate<String, Object> template, List<AutoCloseable> resources) {
        RedisIndexedSessionRepository repository = new RedisIndexedSessionRepository(template);
        repository.setDefaultSerializer(new GenericJackson2JsonRedisSerializer());
        repository.setCleanupCron("-");
        repository.afterPropertiesSet();
        resources.add(repository::destroy);
        return repository;
    }

    private static RedisStandaloneConfiguration standalone(StoreAddresses stores) {
        return new RedisStandaloneConfiguration("127.0.0.1", stores.required(stores.redisPort(), "--redis-port"));
    }
}
