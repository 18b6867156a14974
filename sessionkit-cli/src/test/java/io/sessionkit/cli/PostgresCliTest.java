package io.sessionkit.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The tool on the jdbc backend and the PostgreSQL at 127.0.0.1:5432, database {@code test}, user
 * {@code postgres} with trust authentication (override with {@code SESSION_TEST_POSTGRES_URL} and
 * {@code SESSION_TEST_POSTGRES_USER}); each test in a table of its own, which the backend creates.
 */
class PostgresCliTest extends SessionKitCliStoreTest {

    private static final String URL = System.getenv().getOrDefault("SESSION_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("SESSION_TEST_POSTGRES_USER", "postgres");

    private final String table = "cli_test_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    Map<String, String> storeSettings() {
        return Map.of("SESSION_TYPE", "jdbc", "SESSION_JDBC_URL", URL, "SESSION_JDBC_USER", USER,
                "SESSION_JDBC_TABLE", table);
    }

    @Override
    boolean keepsExpiredEntries() {
        return true;
    }

    @Override
    void storeEmptied() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, null);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
