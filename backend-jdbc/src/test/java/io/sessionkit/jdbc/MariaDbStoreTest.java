package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The jdbc store's own behaviour on MariaDB. */
class MariaDbStoreTest extends JdbcStoreBehaviour {

    private static final TestDatabase DATABASE = TestDatabase.mariadb();

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
}
