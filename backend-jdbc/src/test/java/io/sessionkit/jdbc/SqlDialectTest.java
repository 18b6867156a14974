package io.sessionkit.jdbc;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SessionConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

/** Dialect detection and the shipped schema files. */
class SqlDialectTest {

    @ParameterizedTest
    @CsvSource({"PostgreSQL, POSTGRESQL", "MariaDB, MARIADB", "MySQL, MARIADB", "H2, H2", "SQLite, SQLITE"})
    @DisplayName("the dialect is chosen from the product name the driver reports")
    void detectsSupportedDatabases(String productName, SqlDialect expected) {
        assertEquals(expected, SqlDialect.detect(productName));
    }

    @Test
    @DisplayName("an unsupported database is named, with the list of supported ones")
    void unsupportedDatabaseListsSupported() {
        RuntimeException error = assertThrows(SqlDialect.UnsupportedDatabaseException.class,
                () -> SqlDialect.detect("Apache Derby"));
        assertEquals("the database reports itself as 'Apache Derby', which this backend does not support;"
                + " supported are PostgreSQL, MariaDB/MySQL, H2, SQLite", error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    @DisplayName("each schema file renders to a table and its indexes, with every placeholder filled in")
    void schemaFilesRender(SqlDialect dialect) {
        SessionTableSchema schema = new SessionTableSchema(dialect, TableName.parse("app.web_sessions"));
        String ddl = schema.ddl();
        assertFalse(ddl.contains("{{"), ddl);
        assertTrue(ddl.contains("CREATE TABLE IF NOT EXISTS app.web_sessions"), ddl);
        assertTrue(ddl.contains("web_sessions_expires_at"), ddl);
        assertTrue(ddl.contains("web_sessions_principal (principal)") || ddl.contains("web_sessions_principal ON"), ddl);
        assertFalse(schema.statements().isEmpty());
        schema.statements().forEach(statement -> assertFalse(statement.startsWith("--"), statement));
        for (String column : new String[] {"version", "lock_token", "lock_until", "principal"}) {
            assertTrue(ddl.contains("    " + column + " "), column + " missing from " + ddl);
        }
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    @DisplayName("each upgrade file renders to ALTER TABLE statements that add the three new columns to the named table")
    void upgradeFilesRender(SqlDialect dialect) {
        SessionTableSchema schema = new SessionTableSchema(dialect, TableName.parse("app.web_sessions"));
        String sql = String.join(";\n", schema.upgradeStatements());
        assertFalse(sql.contains("{{"), sql);
        schema.upgradeStatements().forEach(statement -> assertTrue(statement.startsWith("ALTER TABLE app.web_sessions"), statement));
        for (String column : new String[] {"version", "lock_token", "lock_until"}) {
            assertTrue(sql.contains("ADD COLUMN " + column + " ") || sql.contains("ADD COLUMN IF NOT EXISTS " + column + " "),
                    column + " missing from " + sql);
        }
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    @DisplayName("each principal upgrade file renders to statements that add the principal column and its index to the named table")
    void principalUpgradeFilesRender(SqlDialect dialect) {
        SessionTableSchema schema = new SessionTableSchema(dialect, TableName.parse("app.web_sessions"));
        String sql = String.join(";\n", schema.principalUpgradeStatements());
        assertFalse(sql.contains("{{"), sql);
        assertTrue(schema.principalUpgradeStatements().get(0).startsWith("ALTER TABLE app.web_sessions"), sql);
        assertTrue(sql.contains("ADD COLUMN principal ") || sql.contains("ADD COLUMN IF NOT EXISTS principal "), sql);
        assertTrue(sql.contains("web_sessions_principal"), sql);
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    @DisplayName("a key prefix's LIKE or GLOB wildcards are escaped, so that it matches only itself")
    void prefixPatternsAreLiteral(SqlDialect dialect) {
        if (dialect == SqlDialect.SQLITE) {
            assertEquals("id GLOB ?", dialect.idStartsWith());
            assertEquals("a[*][?][[]%_!b*", dialect.prefixPattern("a*?[%_!b"));
        } else {
            assertEquals("id LIKE ? ESCAPE '!'", dialect.idStartsWith());
            assertEquals("a*?[!%!_!!b%", dialect.prefixPattern("a*?[%_!b"));
        }
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    @DisplayName("every operation is a single statement, and the save is an upsert")
    void statementsAreSingle(SqlDialect dialect) {
        SessionStatements sql = SessionStatements.of(dialect, TableName.parse("sessions"));
        for (String statement : new String[]{sql.load(), sql.loadEntry(), sql.upsert(), sql.insert(), sql.replaceExpired(),
                sql.replace(), sql.touch(), sql.delete(), sql.deleteVersion(), sql.deleteExpiredBatch(), sql.lock(),
                sql.isLive(), sql.unlock(), sql.assignPrincipal(), sql.entriesOfPrincipal(), sql.countByPrefix(),
                sql.listFirstPage(), sql.listNextPage()}) {
            assertFalse(statement.contains(";"), statement);
            assertFalse(statement.contains("{{"), statement);
        }
        assertEquals(dialect != SqlDialect.MARIADB, sql.createUnlessLive() != null, "one-statement create");
        assertEquals(dialect != SqlDialect.MARIADB, sql.touchReturningEntry() != null, "one-statement load and touch");
        for (String writesData : new String[]{sql.upsert(), sql.insert(), sql.replaceExpired(), sql.replace()}) {
            assertTrue(writesData.contains("version + 1") || writesData.contains("VALUES (?, ?, ?, 1)")
                    || writesData.contains("SELECT ?, ?, ?, 1"), writesData);
        }
        assertTrue(sql.replace().endsWith("WHERE id = ? AND version = ? AND expires_at > ?"), sql.replace());
        assertTrue(sql.upsert().contains("ON CONFLICT") || sql.upsert().contains("ON DUPLICATE KEY UPDATE")
                || sql.upsert().startsWith("MERGE"), sql.upsert());
        assertTrue(sql.load().endsWith("WHERE id = ? AND expires_at > ?"), sql.load());
        assertTrue(sql.upsert().contains("principal"), "a save keeps a live row's principal, clears an expired one's: " + sql.upsert());
        String createOverExpired = sql.createUnlessLive() != null ? sql.createUnlessLive() : sql.replaceExpired();
        assertTrue(createOverExpired.contains("principal = NULL"), createOverExpired);
        assertTrue(sql.listNextPage().endsWith("ORDER BY id LIMIT ?"), sql.listNextPage());
    }

    @Test
    @DisplayName("a URL no installed driver accepts is a configuration error naming the key")
    void missingDriver() {
        SessionConfig config = SessionConfig.builder().set("SESSION_TYPE", "jdbc")
                .set(JdbcSettings.URL, "jdbc:nosuchdb://127.0.0.1/app").build();
        SessionConfigException error = assertThrows(SessionConfigException.class,
                () -> new JdbcSessionBackendProvider().create(config));
        assertTrue(error.getMessage().contains("SESSION_JDBC_URL was 'jdbc:nosuchdb://127.0.0.1/app' but no JDBC driver"),
                error.getMessage());
    }
}
