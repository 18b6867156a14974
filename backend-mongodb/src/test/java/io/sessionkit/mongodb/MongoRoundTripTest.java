package io.sessionkit.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RoundTripsPerRequestTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counts the commands a request costs through the engine, as the driver sends them (a command
 * listener on a client handed in): {@code findAndModify} for a read, which also extends the
 * expiry and returns the version, and an {@code update} for a conditional write; with
 * {@code SESSION_LOCKING}, an {@code update} to take the lock and one to release it besides.
 */
class MongoRoundTripTest extends RoundTripsPerRequestTest {

    private static final Map<String, AtomicLong> SENT = new ConcurrentHashMap<>();
    private static MongoClient client;

    @BeforeAll
    static void connect() {
        CommandListener counter = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                SENT.computeIfAbsent(event.getCommandName(), name -> new AtomicLong()).incrementAndGet();
            }
        };
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(MongoTestServer.connectionString()))
                .addCommandListener(counter)
                .build());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set(ConfigKeys.SESSION_TYPE, MongoSessionBackendProvider.TYPE)
                .set("SESSION_MONGODB_DB", MongoTestServer.DATABASE)
                .set("SESSION_MONGODB_COLLECT", "round_trip_sessions")
                .client(client);
    }

    @Override
    protected Map<String, Long> commandCounts() {
        Map<String, Long> counts = new TreeMap<>();
        SENT.forEach((command, sent) -> counts.put(command, sent.get()));
        return counts;
    }

    @Override
    protected Map<String, Long> readOnlyRequestCommands() {
        return Map.of("findAndModify", 1L);
    }

    @Override
    protected Map<String, Long> modifyingRequestCommands() {
        return Map.of("findAndModify", 1L, "update", 1L);
    }

    @Test
    @DisplayName("a new session costs one command: the update that inserts it only if its id is free")
    void newSessionCostsOneCommand() {
        assertEquals(Map.of("update", 1L), commandsDuring(() -> {
            Session session = engine().open(null);
            session.put("user", "bob");
            assertTrue(engine().save(session).setCookieHeader() != null);
        }));
    }

    @Test
    @DisplayName("a logout costs two commands: the read and the delete of the version read")
    void logoutCostsTwoCommands() {
        assertEquals(Map.of("findAndModify", 1L, "delete", 1L), commandsDuring(() -> {
            Session session = engine().open(cookie());
            session.invalidate();
            engine().save(session);
        }));
    }

    @Test
    @DisplayName("with SESSION_LOCKING a read-only request costs three commands and a modifying one four")
    void lockingAddsTwoCommands() {
        SessionConfig.Builder config = SessionConfig.builder();
        configure(config);
        try (SessionInterface locking = SessionInterface.create(config.set(ConfigKeys.SESSION_LOCKING, "true").build())) {
            assertEquals(Map.of("update", 2L, "findAndModify", 1L), commandsDuring(() -> {
                Session session = locking.open(cookie());
                assertEquals("ann", session.get("user"));
                locking.save(session);
            }), "lock, read, unlock");
            assertEquals(Map.of("update", 3L, "findAndModify", 1L), commandsDuring(() -> {
                Session session = locking.open(cookie());
                session.put("cart", 1);
                locking.save(session);
            }), "lock, read, write, unlock");
        }
    }
}
