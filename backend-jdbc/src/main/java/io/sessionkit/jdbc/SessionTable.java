package io.sessionkit.jdbc;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The session table as every statement of the store reaches it: on a pooled connection in
 * auto-commit mode, with the query timeout, and retried when the database aborted it as a
 * deadlock or serialization failure (every operation of the store is idempotent). Once closed,
 * statements fail instead of reaching for a pool that is going away.
 *
 * <p>Shared by the backend and its clean-up capability; thread-safe. Failures are thrown as
 * {@link SessionBackendException}.
 */
final class SessionTable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);
    /**
     * A deadlock needs two transactions, and one always goes through, so n racing statements need
     * at most n attempts; eight leaves room for the few requests of one session that race, even
     * on MariaDB, whose gap locks make racing creates of one id deadlock.
     */
    private static final int MAX_ATTEMPTS = 8;
    /** Longest pause before a retry: victims that retry at once tend to collide again. */
    private static final int MAX_BACKOFF_MILLIS = 5;

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final TableName name;
    private final SessionStatements statements;
    private final Duration timeout;
    private final int queryTimeoutSeconds;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param dataSource where connections come from; not closed here
     * @param dialect    the database behind it
     * @param name       the table, which exists
     * @param timeout    {@code SESSION_JDBC_TIMEOUT}, the query timeout (rounded up to seconds)
     */
    SessionTable(DataSource dataSource, SqlDialect dialect, TableName name, Duration timeout) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.name = name;
        this.statements = SessionStatements.of(dialect, name);
        this.timeout = timeout;
        this.queryTimeoutSeconds = JdbcSettings.queryTimeoutSeconds(timeout);
    }

    SqlDialect dialect() {
        return dialect;
    }

    TableName name() {
        return name;
    }

    SessionStatements statements() {
        return statements;
    }

    /**
     * Runs {@code work} on a pooled connection, retrying it when the database aborted it as a
     * deadlock or serialization failure (SQLState class 40).
     *
     * @param operation the operation's name in errors, such as {@code load}
     * @param work      one idempotent unit of work
     * @param <T>       its result
     * @return its result
     * @throws SessionBackendException when the table was closed or the work failed
     */
    <T> T run(String operation, Work<T> work) {
        if (closed.get()) {
            throw new SessionBackendException(JdbcSessionBackendProvider.TYPE, operation, "the backend was closed", null);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return inAutoCommit(dataSource, work);
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && isDeadlockOrSerializationFailure(e)) {
                    LOG.debug("{} aborted by the database ({}), retrying", operation, e.getMessage());
                    pauseBeforeRetry();
                    continue;
                }
                throw failure(operation, dialect.displayName() + " table " + name, e, timeout);
            }
        }
    }

    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(MAX_BACKOFF_MILLIS + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return a statement bounded by the query timeout
     */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(queryTimeoutSeconds);
        return statement;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Refuses every further statement; one in progress finishes.
     *
     * @return whether this call closed the table, {@code false} when it was closed already
     */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    /**
     * Runs {@code work} on a connection of {@code dataSource} in auto-commit mode. A handed-in
     * pool may give out connections with auto-commit off; they go back to it as they came.
     */
    static <T> T inAutoCommit(DataSource dataSource, Work<T> work) throws SQLException {
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

    /**
     * @param where   the database or table, for the message; no password
     * @param timeout {@code SESSION_JDBC_TIMEOUT}, which bounds every wait
     * @return the failure of {@code operation}, saying what to check
     */
    static SessionBackendException failure(String operation, String where, SQLException e, Duration timeout) {
        return new SessionBackendException(JdbcSessionBackendProvider.TYPE, operation, where + ": " + Redaction.message(e.getMessage())
                + " (SQLState " + e.getSQLState() + "); check that the database is reachable and answers within "
                + JdbcSettings.TIMEOUT + "=" + timeout, e);
    }

    /**
     * Whether the database refused an insert because the id is taken: SQLState 23505 (H2,
     * PostgreSQL) or error 1062 (MariaDB, MySQL). The statements of PostgreSQL and SQLite resolve
     * the conflict themselves; H2's {@code MERGE} and MariaDB's plain {@code INSERT} report it.
     */
    static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062;
    }

    /** SQLState class 40: transaction rollback (deadlock, serialization failure). */
    private static boolean isDeadlockOrSerializationFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("40");
    }

    /**
     * Work on one connection.
     *
     * @param <T> its result
     */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }
}
