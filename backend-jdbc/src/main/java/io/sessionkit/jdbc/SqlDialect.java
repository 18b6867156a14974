package io.sessionkit.jdbc;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between the supported databases: the schema file, the one-statement upsert, the
 * bounded delete of expired rows, and the read that also extends the expiry.
 *
 * <p>Templates use {@code {{table}}} for the table name; bind parameters are in the same order
 * for every dialect (see {@link SessionStatements}).
 */
enum SqlDialect {

    POSTGRESQL("PostgreSQL", "postgresql",
            "INSERT INTO {{table}} (id, data, expires_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at",
            // SKIP LOCKED: concurrent cleaners (one per node) take disjoint rows instead of waiting on each other.
            "DELETE FROM {{table}} WHERE id IN (SELECT id FROM {{table}} WHERE expires_at <= ? LIMIT ? FOR UPDATE SKIP LOCKED)",
            "UPDATE {{table}} SET expires_at = ? WHERE id = ? AND expires_at > ? RETURNING data"),

    MARIADB("MariaDB/MySQL", "mariadb",
            // VALUES() is the spelling both MariaDB and MySQL accept.
            "INSERT INTO {{table}} (id, data, expires_at) VALUES (?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE data = VALUES(data), expires_at = VALUES(expires_at)",
            "DELETE FROM {{table}} WHERE expires_at <= ? LIMIT ?",
            null),

    H2("H2", "h2",
            "MERGE INTO {{table}} (id, data, expires_at) KEY (id) VALUES (?, ?, ?)",
            "DELETE FROM {{table}} WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY",
            "SELECT data FROM FINAL TABLE (UPDATE {{table}} SET expires_at = ? WHERE id = ? AND expires_at > ?)"),

    SQLITE("SQLite", "sqlite",
            "INSERT INTO {{table}} (id, data, expires_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            "DELETE FROM {{table}} WHERE id IN (SELECT id FROM {{table}} WHERE expires_at <= ? LIMIT ?)",
            "UPDATE {{table}} SET expires_at = ? WHERE id = ? AND expires_at > ? RETURNING data");

    private final String displayName;
    private final String schemaName;
    private final String upsert;
    private final String deleteExpiredBatch;
    private final String touchReturningData;

    SqlDialect(String displayName, String schemaName, String upsert, String deleteExpiredBatch, String touchReturningData) {
        this.displayName = displayName;
        this.schemaName = schemaName;
        this.upsert = upsert;
        this.deleteExpiredBatch = deleteExpiredBatch;
        this.touchReturningData = touchReturningData;
    }

    /**
     * Picks the dialect from {@link java.sql.DatabaseMetaData#getDatabaseProductName()}.
     *
     * @param productName the name the driver reports
     * @return the dialect
     * @throws UnsupportedDatabaseException when the database is none of the supported ones
     */
    static SqlDialect detect(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        if (name.equals("h2")) {
            return H2;
        }
        if (name.contains("sqlite")) {
            return SQLITE;
        }
        throw new UnsupportedDatabaseException(productName);
    }

    /**
     * @return the supported databases, for messages
     */
    static String supported() {
        return Arrays.stream(values()).map(dialect -> dialect.displayName).collect(Collectors.joining(", "));
    }

    /**
     * @return the database's name for messages, such as {@code MariaDB/MySQL}
     */
    String displayName() {
        return displayName;
    }

    /**
     * @return the class-path resource holding this database's DDL
     */
    String schemaResource() {
        return "schema-" + schemaName + ".sql";
    }

    String upsert() {
        return upsert;
    }

    String deleteExpiredBatch() {
        return deleteExpiredBatch;
    }

    /**
     * @return one statement that extends a live row's expiry and yields its data, or
     *         {@code null} when the database has none (MariaDB and MySQL lack
     *         {@code UPDATE ... RETURNING})
     */
    String touchReturningData() {
        return touchReturningData;
    }

    /** The database behind the connection is not one this store speaks to. */
    static final class UnsupportedDatabaseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedDatabaseException(String productName) {
            super("the database reports itself as '" + productName + "', which this store does not support;"
                    + " supported are " + supported());
        }
    }
}
