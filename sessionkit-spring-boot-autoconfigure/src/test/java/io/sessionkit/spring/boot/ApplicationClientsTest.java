package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the application's own Redis client bean is shared with SessionKit, and when it is not. */
class ApplicationClientsTest {

    private static final RedisServerProcess REDIS = RedisServerProcess.start();
    private static final JedisPooled APPLICATION_CLIENT = new JedisPooled(URI.create(REDIS.url()));

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SessionKitAutoConfiguration.class))
            .withBean("applicationRedis", JedisPooled.class, () -> APPLICATION_CLIENT, definition -> definition.setDestroyMethodName(""))
            .withPropertyValues("sessionkit.key-prefix=clients-" + UUID.randomUUID() + ":");

    @AfterAll
    static void stop() {
        APPLICATION_CLIENT.close();
        REDIS.close();
    }

    @Test
    @DisplayName("type redis and no address set: the application's JedisPooled carries SessionKit's sessions")
    void shared() {
        runner.withPropertyValues("sessionkit.type=redis").run(context -> {
            SessionInterface engine = context.getBean(SessionInterface.class);
            assertSame(APPLICATION_CLIENT, engine.config().client(UnifiedJedis.class).orElseThrow());
            assertStores(engine);
        });
    }

    @Test
    @DisplayName("an address of its own (sessionkit.redis.url): SessionKit connects there, the bean is not handed in")
    void ownAddress() {
        runner.withPropertyValues("sessionkit.type=redis", "sessionkit.redis.url=" + REDIS.url()).run(context -> {
            SessionInterface engine = context.getBean(SessionInterface.class);
            assertTrue(engine.config().client(UnifiedJedis.class).isEmpty());
            assertStores(engine);
        });
    }

    @Test
    @DisplayName("another type: the Redis bean is not handed in")
    void otherType() {
        runner.withPropertyValues("sessionkit.type=null").run(context ->
                assertTrue(context.getBean(SessionConfig.class).client(UnifiedJedis.class).isEmpty()));
    }

    /** A session saved through the engine is in the server, under the engine's prefix. */
    private static void assertStores(SessionInterface engine) {
        var session = engine.open(null);
        session.put("cart", "apple");
        engine.save(session);
        String key = engine.config().keyPrefix() + session.id();
        assertTrue(APPLICATION_CLIENT.exists(key), key);
        assertEquals(Map.of("cart", "apple"), Map.copyOf(engine.open(session.id())));
    }
}
