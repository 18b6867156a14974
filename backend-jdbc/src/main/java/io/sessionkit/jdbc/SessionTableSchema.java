package io.sessionkit.jdbc;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The session table's DDL, read from the {@code schema-<dialect>.sql} files shipped beside this
 * class (the same files the documentation shows), the upgrades of older tables (a table of the first
 * layout gets {@code upgrade-add-version-<dialect>.sql}, then, like a table of the second layout,
 * {@code upgrade-add-principal-<dialect>.sql}), and the store's start-up step ({@link #prepare}):
 * detect the database, create the table when missing, upgrade it when outdated.
 */
final class SessionTableSchema {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTableSchema.class);
    private static final String COLUMNS = "id, data, expires_at, version, lock_token, lock_until and principal";
    private static final String VERSION_COLUMNS = "version, lock_token and lock_until";
    private static final String PRINCIPAL_COLUMN = "principal";
    private static final int UPGRADE_ROUNDS = 3;
    private static final Object H2_SCHEMA_CHANGES = new Object();

    private final SqlDialect dialect;
    private final TableName table;

    SessionTableSchema(SqlDialect dialect, TableName table) {
        this.dialect = dialect;
        this.table = table;
    }

    /**
     * Connects once, detects the database and makes sure the session table is usable: the
     * provider's "prepare the store" step, run before the backend is built.
     *
     * @param dataSource where connections come from
     * @param settings   the table, {@code SESSION_JDBC_CREATE_TABLE} and where the database is
     * @return the database behind {@code dataSource}
     * @throws SessionBackendException when the database cannot be reached, or the table is
     *                                 missing or outdated and cannot or may not be created or
     *                                 upgraded
     * @throws SessionConfigException  when the database is not one the store supports
     */
    static SqlDialect prepare(DataSource dataSource, JdbcSettings settings) {
        try {
            return SessionTable.inAutoCommit(dataSource, connection -> {
                SqlDialect dialect = detect(connection, settings);
                new SessionTableSchema(dialect, settings.table())
                        .ensure(connection, SessionStatements.of(dialect, settings.table()), settings.createTable());
                return dialect;
            });
        } catch (SQLException e) {
            throw SessionTable.failure("connect", settings.printableUrl(), e, settings.timeout());
        }
    }

    private static SqlDialect detect(Connection connection, JdbcSettings settings) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        try {
            return SqlDialect.detect(product);
        } catch (SqlDialect.UnsupportedDatabaseException e) {
            throw new SessionConfigException(settings.source() + " leads to a database that reports itself as '" + product
                    + "', which the " + JdbcSessionBackendProvider.TYPE + " backend does not support; supported are "
                    + SqlDialect.supported());
        }
    }

    /**
     * @return the dialect's schema file with the table's name filled in
     */
    String ddl() {
        return render(dialect.schemaResource());
    }

    /**
     * @return the DDL split into statements, comments removed
     */
    List<String> statements() {
        return statements(dialect.schemaResource());
    }

    /**
     * @return the dialect's upgrade of a table of the first layout split into statements,
     *         comments removed
     */
    List<String> upgradeStatements() {
        return statements(dialect.upgradeResource());
    }

    /**
     * @return the dialect's addition of the principal column and its index, split into
     *         statements, comments removed
     */
    List<String> principalUpgradeStatements() {
        return statements(dialect.principalUpgradeResource());
    }

    /**
     * @return a shipped SQL file with the table's name filled in
     */
    String render(String resource) {
        String template;
        try (InputStream in = SessionTableSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return template
                .replace("{{schema_prefix}}", table.schema() == null ? "" : table.schema() + ".")
                .replace("{{table_name}}", table.name())
                .replace("{{table}}", table.qualified());
    }

    /**
     * @return a shipped SQL file (a class-path resource beside this class) split into statements,
     *         comments removed
     */
    List<String> statements(String resource) {
        StringBuilder sql = new StringBuilder();
        for (String line : render(resource).split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    /**
     * Makes sure the table is there with every column: creates it when missing, or adds the
     * columns of conditional writes and locks (to a table of the first layout) and the principal
     * column with its index (to a table of the first or second layout), when {@code create} is set;
     * otherwise fails naming the table and the files to run.
     *
     * @param connection a connection in auto-commit mode
     * @param statements the statements of this dialect and table, for their table checks
     * @param create     {@code SESSION_JDBC_CREATE_TABLE}
     * @throws SessionBackendException when the table is missing or outdated and cannot or may not
     *                                 be created or upgraded
     */
    void ensure(Connection connection, SessionStatements statements, boolean create) {
        if (dialect != SqlDialect.H2) {
            ensureColumns(connection, statements, create);
            return;
        }
        // H2 runs embedded in this JVM, and its ALTER TABLE breaks (lock time-outs, internal errors,
        // the table missing for a moment) when another connection looks at or alters the same table
        // at once: here the stores starting on it take turns.
        synchronized (H2_SCHEMA_CHANGES) {
            ensureColumns(connection, statements, create);
        }
    }

    private void ensureColumns(Connection connection, SessionStatements statements, boolean create) {
        String checkTable = statements.checkTable();
        // Ask the catalogue first: probing a missing table makes some drivers log a warning
        // (MariaDB) or write a trace file (H2) on every first start.
        boolean listed = listed(connection);
        SQLException missing = listed ? check(connection, checkTable) : null;
        if (listed && missing == null) {
            ensurePrincipalIndex(connection, create);
            return;
        }
        if (listed && check(connection, statements.checkSecondLayout()) == null) {
            upgrade(connection, List.of(new Upgrade(PRINCIPAL_COLUMN, dialect.principalUpgradeResource(), checkTable)),
                    create, missing);
            return;
        }
        if (listed && check(connection, statements.checkFirstLayout()) == null) {
            upgrade(connection, List.of(
                    new Upgrade(VERSION_COLUMNS, dialect.upgradeResource(), statements.checkSecondLayout()),
                    new Upgrade(PRINCIPAL_COLUMN, dialect.principalUpgradeResource(), checkTable)), create, missing);
            return;
        }
        if (!create) {
            String why = missing != null ? missing.getMessage() : "it does not exist";
            throw new SessionBackendException(JdbcSessionBackendProvider.TYPE, "check the session table", "table '" + table + "' with columns"
                    + " " + COLUMNS + " is not usable (" + why + ") and "
                    + JdbcSettings.CREATE_TABLE + " is false: create it with the DDL of " + dialect.displayName()
                    + " in io/sessionkit/jdbc/" + dialect.schemaResource() + " (shown in docs/backends/jdbc.md),"
                    + " or set " + JdbcSettings.CREATE_TABLE + "=true", missing);
        }
        try (Statement statement = connection.createStatement()) {
            for (String ddl : statements()) {
                statement.execute(ddl);
            }
        } catch (SQLException e) {
            // Another node may have created the table at the same moment; only fail if it is still not usable.
            if (check(connection, checkTable) != null) {
                throw new SessionBackendException(JdbcSessionBackendProvider.TYPE, "create the session table", "could not create table '" + table
                        + "' on " + dialect.displayName() + ": " + e.getMessage() + " (SQLState " + e.getSQLState()
                        + "); create it yourself with io/sessionkit/jdbc/" + dialect.schemaResource()
                        + " and set " + JdbcSettings.CREATE_TABLE + "=false, or grant the user CREATE rights", e);
            }
            return;
        }
        SQLException stillMissing = check(connection, checkTable);
        if (stillMissing != null) {
            throw new SessionBackendException(JdbcSessionBackendProvider.TYPE, "create the session table", "table '" + table
                    + "' exists but lacks some of the columns " + COLUMNS + ": " + stillMissing.getMessage()
                    + "; drop it or choose another name with " + JdbcSettings.TABLE, stillMissing);
        }
    }

    /**
     * One step of bringing an older table up to date.
     *
     * @param columns  the columns it adds, for messages
     * @param resource the shipped file that adds them
     * @param check    the statement that fails until they are there
     */
    private record Upgrade(String columns, String resource, String check) {
        String file() {
            return "io/sessionkit/jdbc/" + resource;
        }
    }

    /**
     * Runs the upgrade files a table created by an earlier release needs, in order, or fails
     * naming them when {@code create} is not set.
     */
    private void upgrade(Connection connection, List<Upgrade> upgrades, boolean create, SQLException missing) {
        String columns = upgrades.stream().map(Upgrade::columns).collect(Collectors.joining(" and "));
        if (!create) {
            String files = upgrades.stream().map(Upgrade::file).collect(Collectors.joining(", then "));
            throw new SessionBackendException(JdbcSessionBackendProvider.TYPE, "check the session table", "table '" + table
                    + "' lacks the columns " + columns + " (" + missing.getMessage() + "): it was created by an earlier"
                    + " release, and " + JdbcSettings.CREATE_TABLE + " is false, so it is not changed at start-up. Add"
                    + " the columns with " + files + " (shown in docs/backends/jdbc.md), or set "
                    + JdbcSettings.CREATE_TABLE + "=true", missing);
        }
        for (Upgrade upgrade : upgrades) {
            addColumns(connection, upgrade);
        }
        LOG.info("session table '{}' upgraded: added the columns {} ({})", table, columns,
                upgrades.stream().map(Upgrade::file).collect(Collectors.joining(", ")));
    }

    private void addColumns(Connection connection, Upgrade upgrade) {
        // Each round tries every statement; a failure counts only if a column is still missing after
        // the round. Another node may be upgrading the same table at this moment (its ALTER holds
        // locks ours may time out on), or an earlier run may have stopped half-way (SQLite adds one
        // column per statement): the next round finds the work done, or does the rest.
        for (int round = 1; ; round++) {
            SQLException firstFailure = null;
            for (String alter : statements(upgrade.resource())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(alter);
                } catch (SQLException e) {
                    firstFailure = firstFailure == null ? e : firstFailure;
                }
            }
            SQLException stillMissing = check(connection, upgrade.check());
            if (stillMissing == null) {
                return;
            }
            if (round == UPGRADE_ROUNDS) {
                SQLException cause = firstFailure != null ? firstFailure : stillMissing;
                throw new SessionBackendException(JdbcSessionBackendProvider.TYPE, "upgrade the session table", "could not add the"
                        + " columns " + upgrade.columns() + " to table '" + table + "' on " + dialect.displayName()
                        + ": " + cause.getMessage() + " (SQLState " + cause.getSQLState() + "); run " + upgrade.file()
                        + " yourself and set " + JdbcSettings.CREATE_TABLE + "=false, or grant the user ALTER rights", cause);
            }
        }
    }

    /**
     * A table that has the principal column but not its index (its upgrade file was run only in
     * part, or the index was dropped) still works, but every listing of a user's sessions reads
     * the whole table: re-run the idempotent index statement when {@code create} is set, and say
     * so in the log when the index is still missing.
     */
    private void ensurePrincipalIndex(Connection connection, boolean create) {
        if (principalIndexListed(connection)) {
            return;
        }
        String file = "io/sessionkit/jdbc/" + dialect.principalUpgradeResource();
        if (create) {
            for (String statement : principalUpgradeStatements()) {
                // The ALTER TABLE fails, the column being there; CREATE INDEX IF NOT EXISTS does the rest.
                try (Statement sql = connection.createStatement()) {
                    sql.execute(statement);
                } catch (SQLException expected) {
                    LOG.debug("{} on table '{}': {}", file, table, expected.getMessage());
                }
            }
            if (principalIndexListed(connection)) {
                LOG.info("session table '{}' upgraded: added the index on principal ({})", table, file);
                return;
            }
        }
        LOG.warn("session table '{}' has the column principal but no index on it: listing a user's sessions reads the"
                + " whole table. Create the index {}_principal as {} does", table, table.name(), file);
    }

    /**
     * Whether the catalogue lists an index that starts with {@code principal}; {@code true} when
     * the catalogue cannot tell, so that no warning is given in error.
     */
    private boolean principalIndexListed(Connection connection) {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String name = storedCase(meta, table.name());
            String schema = table.schema() == null ? null : storedCase(meta, table.schema());
            String catalog = dialect == SqlDialect.MARIADB ? (schema != null ? schema : connection.getCatalog()) : null;
            String schemaPattern = dialect == SqlDialect.MARIADB ? null : schema;
            try (ResultSet indexes = meta.getIndexInfo(catalog, schemaPattern, name, false, true)) {
                while (indexes.next()) {
                    if (indexes.getShort("ORDINAL_POSITION") == 1
                            && PRINCIPAL_COLUMN.equalsIgnoreCase(indexes.getString("COLUMN_NAME"))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException unknown) {
            return true;
        }
    }

    /**
     * Whether the database's catalogue lists the table. A {@code true} may be loose (the name is
     * a pattern, another schema may match), so the caller still probes; {@code false} is taken at
     * its word because the DDL that follows is idempotent.
     */
    private boolean listed(Connection connection) {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String name = storedCase(meta, table.name());
            String schema = table.schema() == null ? null : storedCase(meta, table.schema());
            // MariaDB and MySQL call a database a catalog; the others qualify by schema.
            String catalog = dialect == SqlDialect.MARIADB ? (schema != null ? schema : connection.getCatalog()) : null;
            String schemaPattern = dialect == SqlDialect.MARIADB ? null : schema;
            try (ResultSet tables = meta.getTables(catalog, schemaPattern, name, new String[] {"TABLE"})) {
                return tables.next();
            }
        } catch (SQLException unknown) {
            return true;
        }
    }

    private static String storedCase(DatabaseMetaData meta, String identifier) throws SQLException {
        if (meta.storesUpperCaseIdentifiers()) {
            return identifier.toUpperCase(Locale.ROOT);
        }
        return meta.storesLowerCaseIdentifiers() ? identifier.toLowerCase(Locale.ROOT) : identifier;
    }

    /** @return {@code null} when the table is usable, otherwise why not */
    private static SQLException check(Connection connection, String checkTable) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery(checkTable).close();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
