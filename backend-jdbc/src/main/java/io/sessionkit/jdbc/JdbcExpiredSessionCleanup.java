package io.sessionkit.jdbc;

import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryNotifications;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code jdbc} store's {@link ExpiredSessionCleanup}: deletes the rows whose
 * {@code expires_at} has passed, in batches of at most {@value #BATCH_SIZE} rows, each batch
 * its own statement and transaction so that no statement holds its locks for long. On
 * PostgreSQL concurrent callers skip rows another caller has locked ({@code SKIP LOCKED}); on
 * MariaDB/MySQL the batches run at READ COMMITTED so they take no gap locks. It is also the
 * store's {@link ExpiryNotifications}: once asked to tell, a batch reads the expired ids first
 * and deletes each that is still expired, and tells those it deleted. A batch the
 * database aborted as a deadlock is retried. Once the store is closed, no further batch starts.
 *
 * <p>Thread-safe, and safe to run from several nodes at once. Failures are thrown as
 * {@link io.sessionkit.SessionBackendException}.
 */
final class JdbcExpiredSessionCleanup implements ExpiredSessionCleanup, ExpiryNotifications {

    /** Rows per clean-up statement: small enough that no delete holds its locks for long. */
    static final int BATCH_SIZE = 1000;

    private final SessionTable table;
    private final Clock clock;
    /** Where the ids of deleted rows go once the engine asked to hear them; else null. */
    private volatile Consumer<String> deletedTo;

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
            Consumer<String> report = deletedTo;
            int deleted;
            if (report == null) {
                deleted = table.run("delete expired sessions", connection -> deleteBatch(connection, now));
            } else {
                // Reported once the connection is back in the pool: listeners must not hold it.
                List<String> ids = table.run("delete expired sessions", connection -> deleteBatchReturningIds(connection, now));
                ids.forEach(report);
                deleted = ids.size();
            }
            total += deleted;
            if (deleted < BATCH_SIZE) {
                break;
            }
        } while (!table.isClosed());
        return total;
    }

    @Override
    public void reportExpiredTo(Consumer<String> expired) {
        deletedTo = expired;
    }

    /**
     * Reads a batch of expired ids, then deletes each that is still expired: two statements
     * instead of one, paid only when someone listens. A row that a concurrent save made live
     * again, or that another clean-up deleted first, is neither deleted nor reported.
     */
    private List<String> deleteBatchReturningIds(Connection connection, long now) throws SQLException {
        List<String> expired = new ArrayList<>();
        try (PreparedStatement select = table.prepare(connection, table.statements().selectExpiredBatch())) {
            select.setLong(1, now);
            select.setInt(2, BATCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    expired.add(rows.getString(1));
                }
            }
        }
        if (expired.isEmpty()) {
            return expired;
        }
        int[] counts;
        try (PreparedStatement delete = table.prepare(connection, table.statements().deleteExpiredRow())) {
            for (String id : expired) {
                delete.setString(1, id);
                delete.setLong(2, now);
                delete.addBatch();
            }
            counts = delete.executeBatch();
        }
        List<String> deleted = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            // SUCCESS_NO_INFO: the driver ran it but does not say how many rows; count it as deleted.
            if (counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO) {
                deleted.add(expired.get(i));
            }
        }
        return deleted;
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
