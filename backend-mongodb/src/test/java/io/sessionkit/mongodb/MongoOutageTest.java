package io.sessionkit.mongodb;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.testsupport.LocalMongoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A server that goes away and comes back: operations fail as {@link SessionBackendException}
 * instead of hanging, and the same backend works again once a server listens on the same
 * port. Always runs against a private in-JVM server, which the test can stop.
 */
class MongoOutageTest {

    private static final Duration HOUR = Duration.ofHours(1);
    /** Bounds each failing call: far above SESSION_MONGODB_TIMEOUT (1 s), far below "hangs". */
    private static final Duration HANG_LIMIT = Duration.ofSeconds(20);

    private LocalMongoServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void stoppedServerMakesEveryOperationFailAsStoreErrorAndTheBackendRecoversWhenItReturns() {
        server = LocalMongoServer.start(0);
        int port = server.port();
        SessionConfig config = SessionConfig.builder()
                .set(ConfigKeys.SESSION_TYPE, "mongodb")
                .set("SESSION_MONGODB", server.connectionString())
                .set("SESSION_MONGODB_TIMEOUT", "1")
                .build();
        try (SessionBackend backend = BackendRegistry.load().create(config)) {
            backend.save("session:before", bytes("before"), HOUR);

            server.close();
            server = null;
            assertStoreFailure("load", () -> backend.load("session:before"));
            assertStoreFailure("save", () -> backend.save("session:during", bytes("x"), HOUR));
            assertStoreFailure("touch", () -> backend.touch("session:before", HOUR));
            assertStoreFailure("delete", () -> backend.delete("session:before"));

            server = LocalMongoServer.start(port);
            awaitRecovery(backend);
            backend.save("session:after", bytes("after"), HOUR);
            assertArrayEquals(bytes("after"), backend.load("session:after"));
        }
    }

    private static void assertStoreFailure(String operation, Runnable call) {
        SessionBackendException error = assertTimeoutPreemptively(HANG_LIMIT,
                () -> assertThrows(SessionBackendException.class, call::run), operation + " hung with the server down");
        assertEquals("mongodb", error.backendType());
        assertEquals(operation, error.operation());
        assertTrue(error.getMessage().contains("127.0.0.1:"), error.getMessage());
    }

    /** The driver notices the returning server on its next heartbeat or selection attempt. */
    private static void awaitRecovery(SessionBackend backend) {
        long deadline = System.nanoTime() + HANG_LIMIT.toNanos();
        while (true) {
            try {
                assertNull(backend.load("session:before"), "the restarted in-memory server holds no data");
                return;
            } catch (SessionBackendException stillDown) {
                if (System.nanoTime() > deadline) {
                    fail("the backend did not recover within " + HANG_LIMIT + " of the server's return", stillDown);
                }
            }
        }
    }
}
