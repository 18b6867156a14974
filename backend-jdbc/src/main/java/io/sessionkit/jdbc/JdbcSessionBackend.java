package io.sessionkit.jdbc;

import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.TouchingLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Session store {@code jdbc}: one row per session in a table of PostgreSQL, MariaDB/MySQL, H2
 * or SQLite, reached through a {@link DataSource} (a HikariCP pool it built, or one handed in).
 *
 * <p>Every operation is one statement in auto-commit mode: a save is the dialect's atomic
 * upsert, a load selects only rows whose {@code expires_at} (epoch milliseconds from
 * {@link io.sessionkit.core.SessionConfig#clock()}) is still ahead, a touch is one
 * {@code UPDATE}. Expired rows are thus never returned; they are deleted by
 * {@link #deleteExpired()}, which a daemon thread calls every
 * {@code SESSION_JDBC_CLEANUP_INTERVAL} unless that is off. A statement that the database
 * aborted as a deadlock or serialization failure is retried, since every operation is
 * idempotent.
 *
 * <p>Thread-safe. Failures are thrown as {@link SessionBackendException}.
 */
public final class JdbcSessionBackend implements SessionBackend, TouchingLoad, ExpiredSessionCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionBackend.class);
    private static final String TYPE = "jdbc";
    /** Rows per clean-up statement: small enough that no delete holds its locks for long. */
    static final int CLEANUP_BATCH_SIZE = 1000;
    private static final int MAX_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final AutoCloseable ownedPool;
    private final JdbcSettings settings;
    private final Clock clock;
    private final int queryTimeoutSeconds;
    private final SqlDialect dialect;
    private final SessionStatements sql;
    private final PeriodicCleanup periodicCleanup;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Connects, detects the database, makes sure the table exists and starts the clean-up.
     *
     * @param dataSource where connections come from
     * @param ownedPool  closed by {@link #close()}: the pool built from the settings, or
     *                   {@code null} when the data source was handed in
     */
    JdbcSessionBackend(DataSource dataSource, AutoCloseable ownedPool, JdbcSettings settings, Clock clock) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.settings = settings;
        this.clock = clock;
        this.queryTimeoutSeconds = (int) Math.max(1, (settings.timeout().toMillis() + 999) / 1000);
        try {
            this.dialect = withConnection(this::detectDialect);
            this.sql = SessionStatements.of(dialect, settings.table());
            withConnection(connection -> {
                new SessionTableSchema(dialect, settings.table()).ensure(connection, sql.checkTable(), settings.createTable());
                return null;
            });
        } catch (SQLException e) {
            throw failure("connect", e);
        }
        this.periodicCleanup = settings.cleanupInterval() == null ? null
                : new PeriodicCleanup(this, settings.cleanupInterval(), "sessionkit-jdbc-cleanup-" + settings.table());
        LOG.info("session store jdbc: {} table {} at {}, expired rows deleted {}", dialect.displayName(), settings.table(),
                settings.printableUrl(), settings.cleanupInterval() == null ? "only on demand" : "every " + settings.cleanupInterval());
    }

    /**
     * Runs {@code work} on a pooled connection in auto-commit mode. A handed-in pool may give
     * out connections with auto-commit off; they go back to it as they came.
     */
    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            try {
                return work.apply(connection);
            } finally {
                if (!autoCommit) {
                    connection.setAutoCommit(false);
                }
            }
        }
    }

    private SqlDialect detectDialect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        try {
            return SqlDialect.detect(product);
        } catch (SqlDialect.UnsupportedDatabaseException e) {
            String source = settings.url() != null ? JdbcSettings.URL + " '" + settings.printableUrl() + "'"
                    : "the DataSource handed in";
            throw new SessionConfigException(source + " leads to a database that reports itself as '" + product
                    + "', which the jdbc store does not support; supported are " + SqlDialect.supported());
        }
    }

    /**
     * @return the database the store detected
     */
    SqlDialect dialect() {
        return dialect;
    }

    /**
     * @return the statements in use, for inspection
     */
    SessionStatements statements() {
        return sql;
    }

    @Override
    public byte[] load(String key) {
        return run("load", connection -> {
            try (PreparedStatement statement = prepare(connection, sql.load())) {
                statement.setString(1, key);
                statement.setLong(2, clock.millis());
                return firstData(statement);
            }
        });
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        run("save", connection -> {
            try (PreparedStatement statement = prepare(connection, sql.upsert())) {
                statement.setString(1, key);
                statement.setBytes(2, value);
                statement.setLong(3, expiry(timeToLive));
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        run("touch", connection -> {
            try (PreparedStatement statement = prepare(connection, sql.touch())) {
                bindTouch(statement, key, timeToLive);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement on PostgreSQL, SQLite ({@code UPDATE ... RETURNING}) and H2
     * ({@code SELECT ... FROM FINAL TABLE (UPDATE ...)}). MariaDB and MySQL have no such
     * statement: there the update and, when it found the row, a select run on one connection.
     */
    @Override
    public byte[] loadAndTouch(String key, Duration timeToLive) {
        return run("load and touch", connection -> {
            if (sql.touchReturningData() != null) {
                try (PreparedStatement statement = prepare(connection, sql.touchReturningData())) {
                    bindTouch(statement, key, timeToLive);
                    return firstData(statement);
                }
            }
            int touched;
            try (PreparedStatement statement = prepare(connection, sql.touch())) {
                bindTouch(statement, key, timeToLive);
                touched = statement.executeUpdate();
            }
            if (touched == 0) {
                return null;
            }
            try (PreparedStatement statement = prepare(connection, sql.load())) {
                statement.setString(1, key);
                statement.setLong(2, clock.millis());
                return firstData(statement);
            }
        });
    }

    @Override
    public void delete(String key) {
        run("delete", connection -> {
            try (PreparedStatement statement = prepare(connection, sql.delete())) {
                statement.setString(1, key);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each batch of at most {@value #CLEANUP_BATCH_SIZE} rows is its own statement and
     * transaction. On PostgreSQL concurrent callers skip rows another caller has locked; on
     * MariaDB/MySQL the batches run at READ COMMITTED so they take no gap locks.
     */
    @Override
    public int deleteExpired() {
        long now = clock.millis();
        int total = 0;
        while (!closed.get()) {
            int deleted = run("delete expired sessions", connection -> deleteExpiredBatch(connection, now));
            total += deleted;
            if (deleted < CLEANUP_BATCH_SIZE) {
                break;
            }
        }
        return total;
    }

    private int deleteExpiredBatch(Connection connection, long now) throws SQLException {
        int isolation = connection.getTransactionIsolation();
        boolean lowerIsolation = dialect == SqlDialect.MARIADB && isolation != Connection.TRANSACTION_READ_COMMITTED;
        if (lowerIsolation) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        try (PreparedStatement statement = prepare(connection, sql.deleteExpiredBatch())) {
            statement.setLong(1, now);
            statement.setInt(2, CLEANUP_BATCH_SIZE);
            return statement.executeUpdate();
        } finally {
            if (lowerIsolation) {
                connection.setTransactionIsolation(isolation);
            }
        }
    }

    /**
     * Stops the clean-up thread and closes the connection pool the store built; a
     * {@link DataSource} handed in is left open. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (periodicCleanup != null) {
            periodicCleanup.close();
        }
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                LOG.warn("closing the session store's connection pool failed: {}", e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcSessionBackend[" + (dialect == null ? "?" : dialect.displayName()) + ", table=" + settings.table() + "]";
    }

    private long expiry(Duration timeToLive) {
        return clock.millis() + timeToLive.toMillis();
    }

    private void bindTouch(PreparedStatement statement, String key, Duration timeToLive) throws SQLException {
        long now = clock.millis();
        statement.setLong(1, now + timeToLive.toMillis());
        statement.setString(2, key);
        statement.setLong(3, now);
    }

    private PreparedStatement prepare(Connection connection, String statementSql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(statementSql);
        statement.setQueryTimeout(queryTimeoutSeconds);
        return statement;
    }

    private static byte[] firstData(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getBytes(1) : null;
        }
    }

    private <T> T run(String operation, SqlWork<T> work) {
        if (closed.get()) {
            throw new SessionBackendException(TYPE, operation, "the store was closed", null);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return withConnection(work);
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && isDeadlockOrSerializationFailure(e)) {
                    LOG.debug("{} aborted by the database ({}), retrying", operation, e.getMessage());
                    continue;
                }
                throw failure(operation, e);
            }
        }
    }

    /** SQLState class 40: transaction rollback (deadlock, serialization failure). */
    private static boolean isDeadlockOrSerializationFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("40");
    }

    private SessionBackendException failure(String operation, SQLException e) {
        String where = dialect == null ? settings.printableUrl() : dialect.displayName() + " table " + settings.table();
        return new SessionBackendException(TYPE, operation, where + ": " + e.getMessage() + " (SQLState " + e.getSQLState()
                + "); check that the database is reachable and answers within " + JdbcSettings.TIMEOUT + "="
                + settings.timeout(), e);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
