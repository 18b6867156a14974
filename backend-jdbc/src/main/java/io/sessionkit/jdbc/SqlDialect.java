package io.sessionkit.jdbc;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between the supported databases: the schema and upgrade files, the one-statement
 * upsert and create-unless-live, the bounded delete of expired rows, the read that also
 * extends the expiry, and how an id is matched against a literal prefix.
 *
 * <p>Templates use {@code {{table}}} for the table name; bind parameters are in the same order
 * for every dialect (see {@link SessionStatements}).
 */
enum SqlDialect {

    POSTGRESQL("PostgreSQL", "postgresql",
            "INSERT INTO {{table}} AS t (id, data, expires_at, version) VALUES (?, ?, ?, 1)"
                    + " ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at,"
                    + " version = t.version + 1, principal = CASE WHEN t.expires_at > ? THEN t.principal END",
            "INSERT INTO {{table}} AS t (id, data, expires_at, version) VALUES (?, ?, ?, 1)"
                    + " ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at,"
                    + " version = t.version + 1, lock_token = NULL, lock_until = NULL, principal = NULL"
                    + " WHERE t.expires_at <= ?",
            // SKIP LOCKED: concurrent cleaners (one per node) take disjoint rows instead of waiting on each other.
            "DELETE FROM {{table}} WHERE id IN (SELECT id FROM {{table}} WHERE expires_at <= ? LIMIT ? FOR UPDATE SKIP LOCKED)",
            "UPDATE {{table}} SET expires_at = ? WHERE id = ? AND expires_at > ? RETURNING data, version"),

    MARIADB("MariaDB/MySQL", "mariadb",
            // VALUES() is the spelling both MariaDB and MySQL accept. The assignments run left to right,
            // each seeing the ones before: principal must read expires_at before it is overwritten.
            "INSERT INTO {{table}} (id, data, expires_at, version) VALUES (?, ?, ?, 1)"
                    + " ON DUPLICATE KEY UPDATE principal = IF(expires_at > ?, principal, NULL), version = version + 1,"
                    + " data = VALUES(data), expires_at = VALUES(expires_at)",
            // With the drivers' default "found rows" the row count of a conditional ON DUPLICATE KEY
            // UPDATE cannot tell an insert from a live row left alone: a plain INSERT, and an UPDATE
            // of an expired row when the id is taken, say it exactly.
            null,
            "DELETE FROM {{table}} WHERE expires_at <= ? LIMIT ?",
            null),

    H2("H2", "h2",
            "MERGE INTO {{table}} AS t USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARBINARY), CAST(? AS BIGINT)))"
                    + " AS n (id, data, expires_at) ON t.id = n.id"
                    + " WHEN MATCHED THEN UPDATE SET data = n.data, expires_at = n.expires_at, version = t.version + 1,"
                    + " principal = CASE WHEN t.expires_at > CAST(? AS BIGINT) THEN t.principal END"
                    + " WHEN NOT MATCHED THEN INSERT (id, data, expires_at, version) VALUES (n.id, n.data, n.expires_at, 1)",
            "MERGE INTO {{table}} AS t USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARBINARY), CAST(? AS BIGINT)))"
                    + " AS n (id, data, expires_at) ON t.id = n.id"
                    + " WHEN MATCHED AND t.expires_at <= ? THEN UPDATE SET data = n.data, expires_at = n.expires_at,"
                    + " version = t.version + 1, lock_token = NULL, lock_until = NULL, principal = NULL"
                    + " WHEN NOT MATCHED THEN INSERT (id, data, expires_at, version) VALUES (n.id, n.data, n.expires_at, 1)",
            "DELETE FROM {{table}} WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY",
            "SELECT data, version FROM FINAL TABLE (UPDATE {{table}} SET expires_at = ? WHERE id = ? AND expires_at > ?)"),

    SQLITE("SQLite", "sqlite",
            "INSERT INTO {{table}} (id, data, expires_at, version) VALUES (?, ?, ?, 1)"
                    + " ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at,"
                    + " version = version + 1, principal = CASE WHEN expires_at > ? THEN principal END",
            "INSERT INTO {{table}} (id, data, expires_at, version) VALUES (?, ?, ?, 1)"
                    + " ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at,"
                    + " version = version + 1, lock_token = NULL, lock_until = NULL, principal = NULL"
                    + " WHERE expires_at <= ?",
            "DELETE FROM {{table}} WHERE id IN (SELECT id FROM {{table}} WHERE expires_at <= ? LIMIT ?)",
            "UPDATE {{table}} SET expires_at = ? WHERE id = ? AND expires_at > ? RETURNING data, version");

    private final String displayName;
    private final String schemaName;
    private final String upsert;
    private final String createUnlessLive;
    private final String deleteExpiredBatch;
    private final String touchReturningEntry;

    SqlDialect(String displayName, String schemaName, String upsert, String createUnlessLive, String deleteExpiredBatch,
               String touchReturningEntry) {
        this.displayName = displayName;
        this.schemaName = schemaName;
        this.upsert = upsert;
        this.createUnlessLive = createUnlessLive;
        this.deleteExpiredBatch = deleteExpiredBatch;
        this.touchReturningEntry = touchReturningEntry;
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

    /**
     * @return the class-path resource that adds the columns of conditional writes and locks
     *         ({@code version}, {@code lock_token}, {@code lock_until}) to a table created
     *         without them
     */
    String upgradeResource() {
        return "upgrade-add-version-" + schemaName + ".sql";
    }

    /**
     * @return the class-path resource that adds the {@code principal} column and its index to a
     *         table created without them; a table of the first layout gets
     *         {@link #upgradeResource()} before it
     */
    String principalUpgradeResource() {
        return "upgrade-add-principal-" + schemaName + ".sql";
    }

    /**
     * @return the upsert (id, data, expires_at, now): it keeps a live row's {@code principal} and
     *         clears an expired one's, so that a new session never inherits a dead one's user
     */
    String upsert() {
        return upsert;
    }

    /**
     * @return a condition that holds when {@code id} starts with the text whose
     *         {@link #prefixPattern} is bound to its one parameter. SQLite's {@code LIKE} ignores
     *         the case of ASCII letters, so there it is a {@code GLOB}, which does not.
     */
    String idStartsWith() {
        return this == SQLITE ? "id GLOB ?" : "id LIKE ? ESCAPE '!'";
    }

    /**
     * @param prefix a key prefix, taken literally: its wildcards match only themselves
     * @return the pattern for {@link #idStartsWith()} that matches the ids starting with {@code prefix}
     */
    String prefixPattern(String prefix) {
        StringBuilder pattern = new StringBuilder(prefix.length() + 8);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (this == SQLITE && (c == '*' || c == '?' || c == '[')) {
                pattern.append('[').append(c).append(']');
            } else if (this != SQLITE && (c == '%' || c == '_' || c == '!')) {
                pattern.append('!').append(c);
            } else {
                pattern.append(c);
            }
        }
        return pattern.append(this == SQLITE ? '*' : '%').toString();
    }

    /**
     * @return one statement that inserts a row, or replaces an expired one, and leaves a live
     *         one alone (row count 0); {@code null} when the database has none that says which
     *         happened (MariaDB and MySQL)
     */
    String createUnlessLive() {
        return createUnlessLive;
    }

    String deleteExpiredBatch() {
        return deleteExpiredBatch;
    }

    /**
     * @return one statement that extends a live row's expiry and yields its data and version,
     *         or {@code null} when the database has none (MariaDB and MySQL lack
     *         {@code UPDATE ... RETURNING})
     */
    String touchReturningEntry() {
        return touchReturningEntry;
    }

    /** The database behind the connection is not one this store speaks to. */
    static final class UnsupportedDatabaseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedDatabaseException(String productName) {
            super("the database reports itself as '" + productName + "', which this backend does not support;"
                    + " supported are " + supported());
        }
    }
}
