package io.sessionkit.redis;

import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionListener;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code SESSION_REDIS_EXPIRY_EVENTS}: expired sessions told to {@link SessionListener}s from
 * the server's keyspace notifications, which the backend switches on where it may and asks for
 * clearly where it may not.
 */
class RedisExpiryEventsTest {

    private RedisServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder().set("SESSION_TYPE", "redis").set("SESSION_REDIS", server.url())
                .set("SESSION_REDIS_EXPIRY_EVENTS", true);
    }

    @Test
    void anExpiredSessionReachesTheListenersByItsId() throws Exception {
        server = RedisServerProcess.start("--notify-keyspace-events", "Kg");
        try (SessionInterface sessions = SessionInterface.create(config().set("PERMANENT_SESSION_LIFETIME", "PT1S").build())) {
            Queue<String> expired = new ConcurrentLinkedQueue<>();
            sessions.addListener(new SessionListener() {
                @Override
                public void expired(String id) {
                    expired.add(id);
                }
            });
            Session session = sessions.open(null);
            session.put("user", "ada");
            sessions.save(session);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!expired.contains(session.id())) {
                assertTrue(System.nanoTime() < deadline, "the expiry was not told: " + expired);
                Thread.sleep(100);
            }
            assertEquals(List.of(session.id()), List.copyOf(expired));
        }
        String flags = server.jedis().configGet("notify-keyspace-events").get("notify-keyspace-events");
        assertTrue(flags.contains("E") && flags.contains("x") && flags.contains("K") && flags.contains("g"),
                "Ex added to the flags the server had: " + flags);
    }

    @Test
    void aServerThatRefusesConfigIsAClearErrorAtStartUp() {
        server = RedisServerProcess.start("--rename-command", "CONFIG", "\"\"");
        SessionBackendException error = assertThrows(SessionBackendException.class,
                () -> SessionInterface.create(config().build()));
        assertTrue(error.getMessage().contains("SESSION_REDIS_EXPIRY_EVENTS is true but the server's"
                + " notify-keyspace-events could not be read or given 'Ex'"), error.getMessage());
    }

    @Test
    void aClusterIsRefusedSinceEachNodeAnnouncesOnlyItsOwnKeys() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> RedisSettings.read(
                SessionConfig.builder().set("SESSION_TYPE", "redis").set("SESSION_REDIS_CLUSTER", "127.0.0.1:7000")
                        .set("SESSION_REDIS_EXPIRY_EVENTS", true).build()));
        assertEquals(List.of("SESSION_REDIS_EXPIRY_EVENTS is true but the sessions are on a Cluster, whose nodes each"
                + " announce only their own keys' expiries: turn SESSION_REDIS_EXPIRY_EVENTS off, or use one server or"
                + " Sentinel"), error.problems());
    }
}
