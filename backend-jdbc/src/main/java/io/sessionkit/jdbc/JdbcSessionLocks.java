package io.sessionkit.jdbc;

import io.sessionkit.spi.SessionLocks;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * The {@code jdbc} store's {@link SessionLocks}: two columns of the session's own row,
 * {@code lock_token} and {@code lock_until} (epoch milliseconds, by
 * {@link io.sessionkit.core.SessionConfig#clock()}).
 *
 * <ul>
 *   <li>{@link #tryLock}: {@code UPDATE ... SET lock_token = ?, lock_until = ? WHERE id = ? AND
 *       expires_at > now AND (lock_until IS NULL OR lock_until <= now)}. One row: taken. No row:
 *       a {@code SELECT} on the same connection tells a lock held by someone else (the row is
 *       live: refused) from a session that is not stored (granted: there is nothing to protect,
 *       and the engine releases it as soon as its read finds nothing).</li>
 *   <li>{@link #unlock}: {@code UPDATE ... SET lock_token = NULL, lock_until = NULL WHERE id = ?
 *       AND lock_token = ?}, so a holder whose lease ran out cannot free its successor's lock.</li>
 * </ul>
 *
 * <p>The lock lives and dies with the row: deleting or expiring the session frees it, and no lock
 * is ever left behind for a session that is gone. Neither statement changes {@code data} or
 * {@code version}, so taking the lock does not invalidate a version read under it. Thread-safe,
 * and safe across nodes sharing the table; failures are thrown as
 * {@link io.sessionkit.SessionBackendException}.
 */
final class JdbcSessionLocks implements SessionLocks {

    private final SessionTable table;
    private final Clock clock;

    JdbcSessionLocks(SessionTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
        SessionStatements sql = table.statements();
        return table.run("lock", connection -> {
            long now = clock.millis();
            try (PreparedStatement statement = table.prepare(connection, sql.lock())) {
                statement.setString(1, token);
                statement.setLong(2, now + lease.toMillis());
                statement.setString(3, key);
                statement.setLong(4, now);
                statement.setLong(5, now);
                if (statement.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement statement = table.prepare(connection, sql.isLive())) {
                statement.setString(1, key);
                statement.setLong(2, now);
                try (ResultSet rows = statement.executeQuery()) {
                    return !rows.next();
                }
            }
        });
    }

    @Override
    public void unlock(String key, String token) {
        table.run("unlock", connection -> {
            try (PreparedStatement statement = table.prepare(connection, table.statements().unlock())) {
                statement.setString(1, key);
                statement.setString(2, token);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public String toString() {
        return "JdbcSessionLocks[" + table.dialect().displayName() + ", table=" + table.name() + "]";
    }
}
