package io.sessionkit.jdbc;

import io.sessionkit.SessionBackendException;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.Capabilities;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryNotifications;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.spi.VersionedEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Session store {@code jdbc}: one row per session in a table of PostgreSQL, MariaDB/MySQL, H2
 * or SQLite, reached through a {@link DataSource} (a HikariCP pool the provider built, or one
 * handed in).
 *
 * <p>Every operation is one statement in auto-commit mode: a save is the dialect's atomic
 * upsert, which also increments the row's {@code version} (see {@link ConditionalWrites}) and
 * keeps a live row's {@code principal} (see {@link PrincipalIndex}), a
 * load selects only rows whose {@code expires_at} (epoch milliseconds from
 * {@link io.sessionkit.core.SessionConfig#clock()}) is still ahead, a touch is one
 * {@code UPDATE}. Expired rows are thus never returned; they are deleted by the
 * {@link ExpiredSessionCleanup} capability, which a daemon thread runs every
 * {@code SESSION_JDBC_CLEANUP_INTERVAL} unless that is off. A statement that the database
 * aborted as a deadlock or serialization failure is retried, since every operation is
 * idempotent. Reads that report the expiry ({@link ExpiryReportingLoad}) select
 * {@code expires_at} with the row.
 *
 * <p>Built by {@link JdbcSessionBackendProvider} once the table exists. Thread-safe. Failures
 * are thrown as {@link SessionBackendException}.
 */
public final class JdbcSessionBackend implements SessionBackend {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionBackend.class);

    private final BackendClient<DataSource> client;
    private final SessionTable table;
    private final JdbcExpiredSessionCleanup cleanup;
    private final PeriodicCleanup periodicCleanup;
    private final Clock clock;
    private final Capabilities capabilities;

    /**
     * Takes everything ready; does no I/O.
     *
     * @param client          the pool, closed by {@link #close()} when the provider built it
     * @param table           the session table, which exists
     * @param cleanup         the clean-up capability on that table
     * @param periodicCleanup the background clean-up the provider starts and {@link #close()}
     *                        stops, or {@code null} when it is off
     * @param clock           {@link io.sessionkit.core.SessionConfig#clock()}
     */
    JdbcSessionBackend(BackendClient<DataSource> client, SessionTable table, JdbcExpiredSessionCleanup cleanup,
                       PeriodicCleanup periodicCleanup, Clock clock) {
        this.client = client;
        this.table = table;
        this.cleanup = cleanup;
        JdbcConditionalWrites writes = new JdbcConditionalWrites(table, clock);
        Capabilities offered = Capabilities.none()
                .with(ExpiredSessionCleanup.class, cleanup)
                .with(ExpiryNotifications.class, cleanup)
                .with(ConditionalWrites.class, writes)
                .with(ExpiryReportingLoad.class, new JdbcExpiryReportingLoad(table, clock))
                .with(SessionLocks.class, new JdbcSessionLocks(table, clock))
                .with(PrincipalIndex.class, new JdbcPrincipalIndex(table, clock))
                .with(SessionListing.class, new JdbcSessionListing(table, clock));
        // MariaDB and MySQL read and extend a row in two statements: without TouchingLoad the
        // engine reads with one and extends only a request that does not save.
        this.capabilities = table.statements().touchReturningEntry() == null ? offered
                : offered.with(TouchingLoad.class, (key, timeToLive) -> valueOf(writes.loadVersionedAndTouch(key, timeToLive)));
        this.periodicCleanup = periodicCleanup;
        this.clock = clock;
    }

    /**
     * @return the database the store detected
     */
    SqlDialect dialect() {
        return table.dialect();
    }

    /**
     * @return the pool the backend uses, for inspection
     */
    DataSource dataSource() {
        return client.get();
    }

    /**
     * @return the statements in use, for inspection
     */
    SessionStatements statements() {
        return table.statements();
    }

    @Override
    public byte[] load(String key) {
        return table.run("load", connection -> {
            try (PreparedStatement statement = table.prepare(connection, statements().load())) {
                statement.setString(1, key);
                statement.setLong(2, clock.millis());
                return firstData(statement);
            }
        });
    }

    @Override
    public void save(String key, byte[] value, Duration timeToLive) {
        table.run("save", connection -> {
            for (int attempt = 1; ; attempt++) {
                try (PreparedStatement statement = table.prepare(connection, statements().upsert())) {
                    long now = clock.millis();
                    statement.setString(1, key);
                    statement.setBytes(2, value);
                    statement.setLong(3, now + timeToLive.toMillis());
                    statement.setLong(4, now);
                    return statement.executeUpdate();
                } catch (SQLException e) {
                    // H2's MERGE inserts when it saw no row, and fails if a concurrent save inserted
                    // one first; run again, it updates that row.
                    if (attempt < 3 && SessionTable.isDuplicateKey(e)) {
                        continue;
                    }
                    throw e;
                }
            }
        });
    }

    @Override
    public void touch(String key, Duration timeToLive) {
        table.run("touch", connection -> {
            try (PreparedStatement statement = table.prepare(connection, statements().touch())) {
                long now = clock.millis();
                statement.setLong(1, now + timeToLive.toMillis());
                statement.setString(2, key);
                statement.setLong(3, now);
                return statement.executeUpdate();
            }
        });
    }

    private static byte[] valueOf(VersionedEntry entry) {
        return entry == null ? null : entry.value();
    }

    @Override
    public void delete(String key) {
        table.run("delete", connection -> {
            try (PreparedStatement statement = table.prepare(connection, statements().delete())) {
                statement.setString(1, key);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The store has {@link TouchingLoad} where one statement reads a row and extends it:
     * PostgreSQL and SQLite ({@code UPDATE ... RETURNING}), H2
     * ({@code SELECT ... FROM FINAL TABLE (UPDATE ...)}); not MariaDB and MySQL, which have no
     * such statement. It also has
     * {@link ExpiredSessionCleanup}, {@link ConditionalWrites} (the row's {@code version}),
     * {@link SessionLocks} (the row's {@code lock_token} and {@code lock_until}),
     * {@link PrincipalIndex} (the row's indexed {@code principal}) and {@link SessionListing}
     * (keyset pages on the primary key).
     */
    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return capabilities.find(type).or(() -> SessionBackend.super.capability(type));
    }

    /**
     * Stops the clean-up thread and closes the connection pool the store built; a
     * {@link DataSource} handed in is left open. Idempotent.
     */
    /** Starts the background clean-up, if there is one; called once by the provider. */
    void startPeriodicCleanup() {
        if (periodicCleanup != null) {
            periodicCleanup.start();
        }
    }

    @Override
    public void close() {
        if (!table.close()) {
            return;
        }
        if (periodicCleanup != null) {
            periodicCleanup.close();
        }
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the jdbc backend's connection pool failed: {}", e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JdbcSessionBackend[" + table.dialect().displayName() + ", table=" + table.name() + "]";
    }

    private static byte[] firstData(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getBytes(1) : null;
        }
    }
}
