package io.sessionkit.dynamodb;

import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.RoundTripsPerRequestTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Counts the requests a request to the application costs through the engine, as the SDK sends
 * them over HTTP (an interceptor on a client handed in, counting every attempt):
 * {@code UpdateItem} returning the item for a read, which also extends the expiry, and a
 * conditional {@code UpdateItem} for a write; with {@code SESSION_LOCKING}, an {@code UpdateItem}
 * to take the lock and one to release it besides.
 */
class DynamoDbRoundTripTest extends RoundTripsPerRequestTest {

    private static final Map<String, AtomicLong> SENT = new ConcurrentHashMap<>();
    private static DynamoDbClient client;

    @BeforeAll
    static void connect() {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                SENT.computeIfAbsent(operation, name -> new AtomicLong()).incrementAndGet();
            }
        };
        client = InterceptedClient.of(counter);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        config.set(ConfigKeys.SESSION_TYPE, DynamoDbSessionBackendProvider.TYPE)
                .set("SESSION_DYNAMODB_TABLE", "RoundTripSessions")
                .client(client);
    }

    @Override
    protected Map<String, Long> commandCounts() {
        Map<String, Long> counts = new TreeMap<>();
        SENT.forEach((operation, sent) -> counts.put(operation, sent.get()));
        return counts;
    }

    @Override
    protected Map<String, Long> readOnlyRequestCommands() {
        return Map.of("UpdateItem", 1L);
    }

    @Override
    protected Map<String, Long> modifyingRequestCommands() {
        return Map.of("UpdateItem", 2L);
    }

    @Test
    @DisplayName("a new session costs one request: the UpdateItem that writes it only if its id is free")
    void newSessionCostsOneRequest() {
        assertEquals(Map.of("UpdateItem", 1L), commandsDuring(() -> {
            Session session = engine().open(null);
            session.put("user", "bob");
            assertNotNull(engine().save(session).setCookieHeader());
        }));
    }

    @Test
    @DisplayName("a logout costs two requests: the read and the DeleteItem of the version read")
    void logoutCostsTwoRequests() {
        assertEquals(Map.of("UpdateItem", 1L, "DeleteItem", 1L), commandsDuring(() -> {
            Session session = engine().open(cookie());
            session.invalidate();
            engine().save(session);
        }));
    }

    @Test
    @DisplayName("with SESSION_LOCKING a read-only request costs three requests and a modifying one four")
    void lockingAddsTwoRequests() {
        SessionConfig.Builder config = SessionConfig.builder();
        configure(config);
        try (SessionInterface locking = SessionInterface.create(config.set(ConfigKeys.SESSION_LOCKING, "true").build())) {
            assertEquals(Map.of("UpdateItem", 3L), commandsDuring(() -> {
                Session session = locking.open(cookie());
                assertEquals("ann", session.get("user"));
                locking.save(session);
            }), "lock, read, unlock");
            assertEquals(Map.of("UpdateItem", 4L), commandsDuring(() -> {
                Session session = locking.open(cookie());
                session.put("cart", 1);
                locking.save(session);
            }), "lock, read, write, unlock");
        }
    }
}
