package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.*;

/** The jdbc store's own behaviour on MariaDB. */
class MariaDbStoreTest extends JdbcStoreBehaviour {

    private static final TestDatabase DATABASE = TestDatabase.mariadb();
    // Held strongly: java.util.logging forgets a logger nobody references, and its handlers with it.
    private static final Logger DRIVER_LOG = Logger.getLogger("org.mariadb.jdbc");

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String table() {
        return "sk_store_mariadb";
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.MARIADB;
    }

    @Test
    @DisplayName("the pool's connections have a socket timeout of the query timeout + 1 s; one the URL sets is kept")
    void socketTimeoutFromTheTimeout() throws Exception {
        SessionConfig.Builder config = DATABASE.configure(SessionConfig.builder().set("SESSION_TYPE", "jdbc"), table())
                .set(JdbcSettings.CLEANUP_INTERVAL, "off").set(JdbcSettings.TIMEOUT, "PT2.5S");
        assertEquals(4000, networkTimeoutMillis(config.build()), "3 s query timeout + 1 s");
        String explicit = DATABASE.url() + (DATABASE.url().contains("?") ? "&" : "?") + "socketTimeout=7000";
        assertEquals(7000, networkTimeoutMillis(config.set(JdbcSettings.URL, explicit).build()));
    }

    private static int networkTimeoutMillis(SessionConfig config) throws Exception {
        try (JdbcSessionBackend backend = (JdbcSessionBackend) new JdbcSessionBackendProvider().create(config);
             Connection connection = backend.dataSource().getConnection()) {
            return connection.getNetworkTimeout();
        }
    }

    @Test
    void creatingATakenIdLeavesTheDriverNothingToLogWithTheKey() {
        ConditionalWrites writes = backend().capability(ConditionalWrites.class).orElseThrow();
        String key = "session:Q7vYp2" + "kLmNoPqRsTuVwXyZ".repeat(2) + "0123a_-";
        assertTrue(writes.create(key, bytes("first"), Duration.ofHours(1)));

        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        DRIVER_LOG.addHandler(capture);
        try {
            assertFalse(writes.create(key, bytes("second"), Duration.ofHours(1)), "the id is taken");
        } finally {
            DRIVER_LOG.removeHandler(capture);
        }
        assertEquals(List.of(), logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).toList(), "the driver logs every error at WARN, a duplicate entry with its key");
        assertEquals(1, rows(key));
    }
}
