package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The jdbc store's own behaviour on PostgreSQL. */
class PostgresStoreTest extends JdbcStoreBehaviour {

    private static final TestDatabase DATABASE = TestDatabase.postgres();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String table() {
        return "sk_store_postgres";
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.POSTGRESQL;
    }

    @Test
    @DisplayName("a schema-qualified table is created in that schema, with its index")
    void schemaQualifiedTable() {
        DATABASE.execute("DROP SCHEMA IF EXISTS sk_app CASCADE");
        DATABASE.execute("CREATE SCHEMA sk_app");
        SessionConfig config = DATABASE.configure(SessionConfig.builder().set("SESSION_TYPE", "jdbc"), "sk_app.web_sessions")
                .set(JdbcSettings.CLEANUP_INTERVAL, "off").build();
        try (JdbcSessionBackend backend = (JdbcSessionBackend) new JdbcSessionBackendProvider().create(config)) {
            backend.save("k", "v".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));
            assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), backend.load("k"));
        }
        assertEquals(1, DATABASE.count("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'sk_app'"
                + " AND tablename = 'web_sessions' AND indexname = 'web_sessions_expires_at'"));
        DATABASE.execute("DROP SCHEMA sk_app CASCADE");
    }
}
