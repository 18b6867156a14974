package io.sessionkit.jdbc;

import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.VersionedEntry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * The {@code jdbc} store's {@link ConditionalWrites}: the row's {@code version} column, which
 * every statement that writes {@code data} (the blind save included) increments in that same
 * statement, and which nothing else changes (a touch or a lock does not).
 *
 * <ul>
 *   <li>{@link #replace}: {@code UPDATE ... SET data = ?, expires_at = ?, version = version + 1
 *       WHERE id = ? AND version = ? AND expires_at > ?}; the row count says whether it
 *       happened.</li>
 *   <li>{@link #delete}: {@code DELETE ... WHERE id = ? AND version = ? AND expires_at > ?}.</li>
 *   <li>{@link #create}: PostgreSQL and SQLite {@code INSERT ... ON CONFLICT (id) DO UPDATE ...
 *       WHERE expires_at <= now}, H2 {@code MERGE ... WHEN MATCHED AND expires_at <= now}: one
 *       statement that inserts, or replaces an expired row, and leaves a live one alone. MariaDB
 *       and MySQL: an {@code INSERT ... SELECT ... WHERE NOT EXISTS} (a taken id is no error, which
 *       their driver would log with the key), and only when the id is taken an {@code UPDATE} of
 *       the row if it has expired.</li>
 *   <li>{@link #loadVersionedAndTouch}: PostgreSQL and SQLite {@code UPDATE ... RETURNING data,
 *       version}, H2 {@code SELECT ... FROM FINAL TABLE (UPDATE ...)}; MariaDB and MySQL the
 *       {@code UPDATE} and, when it found the row, a {@code SELECT} on the same connection.</li>
 * </ul>
 *
 * <p>Each statement runs in auto-commit mode, so it is atomic on its own, and the databases
 * re-check a conditional {@code UPDATE}'s {@code WHERE} against the row a concurrent writer just
 * committed: of many writers naming one version, exactly one succeeds. Rows written before the
 * column existed read as version 0. Thread-safe; failures are thrown as
 * {@link io.sessionkit.SessionBackendException}.
 */
final class JdbcConditionalWrites implements ConditionalWrites {

    private final SessionTable table;
    private final Clock clock;

    JdbcConditionalWrites(SessionTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public VersionedEntry loadVersioned(String key) {
        return table.run("load", connection -> loadLive(connection, key));
    }

    @Override
    public VersionedEntry loadVersionedAndTouch(String key, Duration timeToLive) {
        SessionStatements sql = table.statements();
        return table.run("load and touch", connection -> {
            long now = clock.millis();
            String touch = sql.touchReturningEntry() != null ? sql.touchReturningEntry() : sql.touch();
            try (PreparedStatement statement = table.prepare(connection, touch)) {
                statement.setLong(1, now + timeToLive.toMillis());
                statement.setString(2, key);
                statement.setLong(3, now);
                if (sql.touchReturningEntry() != null) {
                    return firstEntry(statement);
                }
                if (statement.executeUpdate() == 0) {
                    return null;
                }
            }
            return loadLive(connection, key);
        });
    }

    @Override
    public boolean create(String key, byte[] value, Duration timeToLive) {
        SessionStatements sql = table.statements();
        return table.run("create", connection -> {
            long now = clock.millis();
            long expiresAt = now + timeToLive.toMillis();
            if (sql.createUnlessLive() != null) {
                return insert(connection, sql.createUnlessLive(), key, value, expiresAt, now);
            }
            // The expired row an INSERT collided with may be deleted by a clean-up before the
            // UPDATE gets to it: then the INSERT is worth one more try.
            for (int attempt = 1; ; attempt++) {
                if (insertUnlessTaken(connection, key, value, expiresAt)) {
                    return true;
                }
                if (replaceExpired(connection, key, value, expiresAt, now)) {
                    return true;
                }
                if (attempt == 2) {
                    return false;
                }
            }
        });
    }

    @Override
    public boolean replace(String key, long expectedVersion, byte[] value, Duration timeToLive) {
        return table.run("replace", connection -> {
            long now = clock.millis();
            try (PreparedStatement statement = table.prepare(connection, table.statements().replace())) {
                statement.setBytes(1, value);
                statement.setLong(2, now + timeToLive.toMillis());
                statement.setString(3, key);
                statement.setLong(4, expectedVersion);
                statement.setLong(5, now);
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        return table.run("delete", connection -> {
            try (PreparedStatement statement = table.prepare(connection, table.statements().deleteVersion())) {
                statement.setString(1, key);
                statement.setLong(2, expectedVersion);
                statement.setLong(3, clock.millis());
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public String toString() {
        return "JdbcConditionalWrites[" + table.dialect().displayName() + ", table=" + table.name() + "]";
    }

    private VersionedEntry loadLive(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = table.prepare(connection, table.statements().loadEntry())) {
            statement.setString(1, key);
            statement.setLong(2, clock.millis());
            return firstEntry(statement);
        }
    }

    /**
     * Runs {@code insert} (id, data, expires_at, now).
     *
     * @return whether it wrote a row; {@code false} when it wrote none or the id is taken
     */
    private boolean insert(Connection connection, String insert, String key, byte[] value, long expiresAt, long now)
            throws SQLException {
        try (PreparedStatement statement = table.prepare(connection, insert)) {
            statement.setString(1, key);
            statement.setBytes(2, value);
            statement.setLong(3, expiresAt);
            statement.setLong(4, now);
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            // H2's MERGE, which inserts when it saw no row, after a concurrent create inserted one first.
            if (SessionTable.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** @return whether the row was inserted, {@code false} when the id is taken */
    private boolean insertUnlessTaken(Connection connection, String key, byte[] value, long expiresAt) throws SQLException {
        try (PreparedStatement statement = table.prepare(connection, table.statements().insert())) {
            statement.setString(1, key);
            statement.setBytes(2, value);
            statement.setLong(3, expiresAt);
            statement.setString(4, key);
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            // Another create of the same id committed between the check and the insert.
            if (SessionTable.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** @return whether an expired row was replaced, {@code false} when the row is live or gone */
    private boolean replaceExpired(Connection connection, String key, byte[] value, long expiresAt, long now)
            throws SQLException {
        try (PreparedStatement statement = table.prepare(connection, table.statements().replaceExpired())) {
            statement.setBytes(1, value);
            statement.setLong(2, expiresAt);
            statement.setString(3, key);
            statement.setLong(4, now);
            return statement.executeUpdate() > 0;
        }
    }

    private static VersionedEntry firstEntry(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? new VersionedEntry(rows.getBytes(1), rows.getLong(2)) : null;
        }
    }
}
