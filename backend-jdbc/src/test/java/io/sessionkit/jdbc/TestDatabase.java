package io.sessionkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sessionkit.core.SessionConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A database the tests run against: the machine's PostgreSQL and MariaDB (addresses
 * overridable by {@code SESSION_TEST_POSTGRES_URL/_USER/_PASSWORD} and
 * {@code SESSION_TEST_MARIADB_URL/_USER/_PASSWORD}), or in-process H2 and SQLite.
 *
 * @param label    the database's name in messages
 * @param url      its JDBC URL
 * @param user     the user, or {@code null}
 * @param password the password, or {@code null}
 * @param howToGet what to do when it cannot be reached
 */
record TestDatabase(String label, String url, String user, String password, String howToGet) {

    static TestDatabase postgres() {
        return new TestDatabase("PostgreSQL",
                env("SESSION_TEST_POSTGRES_URL").orElse("jdbc:postgresql://127.0.0.1:5432/test"),
                env("SESSION_TEST_POSTGRES_USER").orElse("postgres"),
                env("SESSION_TEST_POSTGRES_PASSWORD").orElse(null),
                "start PostgreSQL on 127.0.0.1:5432 with trust authentication and a database 'test'"
                        + " (apt-get install -y postgresql), or point SESSION_TEST_POSTGRES_URL, SESSION_TEST_POSTGRES_USER"
                        + " and SESSION_TEST_POSTGRES_PASSWORD at one");
    }

    static TestDatabase mariadb() {
        return new TestDatabase("MariaDB",
                env("SESSION_TEST_MARIADB_URL").orElse("jdbc:mariadb://127.0.0.1:3306/test"),
                env("SESSION_TEST_MARIADB_USER").orElse("root"),
                env("SESSION_TEST_MARIADB_PASSWORD").orElse(null),
                "start MariaDB on 127.0.0.1:3306 with user root, an empty password and a database 'test'"
                        + " (apt-get install -y mariadb-server), or point SESSION_TEST_MARIADB_URL, SESSION_TEST_MARIADB_USER"
                        + " and SESSION_TEST_MARIADB_PASSWORD at one");
    }

    /** An in-memory H2 database that lives as long as the JVM. */
    static TestDatabase h2(String name) {
        return new TestDatabase("H2", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", null, null, "");
    }

    /** A SQLite database file in WAL mode, so that readers and one writer can work at once. */
    static TestDatabase sqlite(Path file) {
        return new TestDatabase("SQLite", "jdbc:sqlite:" + file + "?journal_mode=WAL&busy_timeout=10000", null, null, "");
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }

    /**
     * Fails the test with what to do when the database does not answer.
     */
    void requireReachable() {
        try (Connection connection = connect()) {
            connection.isValid(10);
        } catch (SQLException e) {
            fail(label + " is not reachable at " + url + " as " + user + ": " + e.getMessage() + ". To run these tests, "
                    + howToGet + ".", e);
        }
    }

    Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(10);
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * Adds this database's URL and credentials and the table to a configuration.
     */
    SessionConfig.Builder configure(SessionConfig.Builder config, String table) {
        return config.set(JdbcSettings.URL, url).set(JdbcSettings.USER, user).set(JdbcSettings.PASSWORD, password)
                .set(JdbcSettings.TABLE, table);
    }

    /**
     * @return a small pool of the application's own, as a user would hand it in
     */
    HikariDataSource applicationPool(boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setAutoCommit(autoCommit);
        config.setPoolName("application");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(3);
        return new HikariDataSource(config);
    }

    void dropTable(String table) {
        execute("DROP TABLE IF EXISTS " + table);
    }

    void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(label + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    long count(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(label + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Inserts rows directly, many per round trip, with ids {@code prefix0}, {@code prefix1}, ...
     */
    void insertRows(String table, String prefix, int rows, long expiresAt) {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO " + table + " (id, data, expires_at) VALUES (?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                insert.setString(1, prefix + i);
                insert.setBytes(2, new byte[]{1, 2, 3});
                insert.setLong(3, expiresAt);
                insert.addBatch();
                if (i % 500 == 499) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(label + ": inserting rows: " + e.getMessage(), e);
        }
    }
}
