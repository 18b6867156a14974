package io.sessionkit.jdbc;

import io.sessionkit.spi.ExpiredSessionCleanup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The {@code jdbc} store's {@link ExpiredSessionCleanup}: deletes the rows whose
 * {@code expires_at} has passed, in batches of at most {@value #BATCH_SIZE} rows, each batch
 * its own statement and transaction so that no statement holds its locks for long. On
 * PostgreSQL concurrent callers skip rows another caller has locked ({@code SKIP LOCKED}); on
 * MariaDB/MySQL the batches run at READ COMMITTED so they take no gap locks. A batch the
 * database aborted as a deadlock is retried. Once the store is closed, no further batch starts.
 *
 * <p>Thread-safe, and safe to run from several nodes at once. Failures are thrown as
 * {@link io.sessionkit.SessionBackendException}.
 */
final class JdbcExpiredSessionCleanup implements ExpiredSessionCleanup {

    /** Rows per clean-up statement: small enough that no delete holds its locks for long. */
    static final int BATCH_SIZE = 1000;

    private final SessionTable table;
    private final Clock clock;

    JdbcExpiredSessionCleanup(SessionTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public int deleteExpired() {
        long now = clock.millis();
        int total = 0;
        // The first batch runs even on a closed store, so that the call fails as every other does;
        // a close during a long clean-up stops it between batches.
        do {
            int deleted = table.run("delete expired sessions", connection -> deleteBatch(connection, now));
            total += deleted;
            if (deleted < BATCH_SIZE) {
                break;
            }
        } while (!table.isClosed());
        return total;
    }

    private int deleteBatch(Connection connection, long now) throws SQLException {
        int isolation = connection.getTransactionIsolation();
        boolean lowerIsolation = table.dialect() == SqlDialect.MARIADB && isolation != Connection.TRANSACTION_READ_COMMITTED;
        if (lowerIsolation) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        try (PreparedStatement statement = table.prepare(connection, table.statements().deleteExpiredBatch())) {
            statement.setLong(1, now);
            statement.setInt(2, BATCH_SIZE);
            return statement.executeUpdate();
        } finally {
            if (lowerIsolation) {
                connection.setTransactionIsolation(isolation);
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcExpiredSessionCleanup[" + table.dialect().displayName() + ", table=" + table.name() + "]";
    }
}
