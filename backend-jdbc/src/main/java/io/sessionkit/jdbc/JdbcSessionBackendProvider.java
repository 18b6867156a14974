package io.sessionkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Provides {@code SESSION_TYPE=jdbc}: sessions in a table of PostgreSQL, MariaDB/MySQL, H2 or
 * SQLite. The application brings the JDBC driver of its database.
 *
 * <p>Keys: {@code SESSION_JDBC_URL} (required unless a {@link javax.sql.DataSource} is handed
 * in with {@link SessionConfig.Builder#client(Object)}), {@code SESSION_JDBC_USER},
 * {@code SESSION_JDBC_PASSWORD}, {@code SESSION_JDBC_POOL_SIZE} (10; these four are errors
 * beside a handed-in DataSource), {@code SESSION_JDBC_TABLE} ({@code sessions}),
 * {@code SESSION_JDBC_CREATE_TABLE} (true), {@code SESSION_JDBC_CLEANUP_INTERVAL} (PT5M; 0 or
 * off disables) and {@code SESSION_JDBC_TIMEOUT} (PT5S), which also gives the PostgreSQL,
 * MariaDB and MySQL drivers of the pool opened here their socket and connect timeouts unless
 * the URL sets them ({@link DriverTimeouts}).
 *
 * <p>{@link #create} reads the settings, opens the pool (or adopts the DataSource handed in),
 * connects to detect the database and make sure the table exists with every column (creating
 * it, or adding the columns an earlier release did not have, when {@code SESSION_JDBC_CREATE_TABLE}
 * allows), builds the backend and then
 * starts its background clean-up. An unreachable database fails start-up with a
 * {@link SessionBackendException}, a missing driver or an unsupported database with a
 * {@link SessionConfigException}; a pool opened before such a failure is closed.
 */
public final class JdbcSessionBackendProvider implements SessionBackendProvider {

    /** The store's {@code SESSION_TYPE}, {@code jdbc}. */
    public static final String TYPE = "jdbc";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionBackendProvider.class);

    /** Does nothing; all work happens in {@link #create}. */
    public JdbcSessionBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        JdbcSettings settings = JdbcSettings.read(config);
        BackendClient<DataSource> client = settings.dataSource() != null ? BackendClient.handedIn(settings.dataSource())
                : openPool(settings);
        JdbcSessionBackend backend = client.closeOnFailure(c -> {
            SqlDialect dialect = SessionTableSchema.prepare(c.get(), settings);
            SessionTable table = new SessionTable(c.get(), dialect, settings.table(), settings.timeout());
            JdbcExpiredSessionCleanup cleanup = new JdbcExpiredSessionCleanup(table, config.clock());
            PeriodicCleanup periodicCleanup = settings.cleanupInterval()
                    .map(interval -> new PeriodicCleanup(cleanup, interval, "sessionkit-jdbc-cleanup-" + settings.table()))
                    .orElse(null);
            return new JdbcSessionBackend(c, table, cleanup, periodicCleanup, config.clock());
        });
        // Started only once the backend exists, so that no thread outlives a failed start-up.
        backend.startPeriodicCleanup();
        LOG.info("session backend {}: {} table {} at {}, expired rows deleted {}", TYPE, backend.dialect().displayName(),
                settings.table(), settings.printableUrl(),
                settings.cleanupInterval().map(interval -> "every " + interval).orElse("only on demand"));
        return backend;
    }

    private static BackendClient<DataSource> openPool(JdbcSettings settings) {
        try {
            DriverManager.getDriver(settings.url());
        } catch (SQLException noDriver) {
            throw new SessionConfigException(JdbcSettings.URL + " was '" + settings.printableUrl() + "' but no JDBC driver"
                    + " on the class path accepts it: add your database's driver to the application"
                    + " (org.postgresql:postgresql, org.mariadb.jdbc:mariadb-java-client, com.mysql:mysql-connector-j,"
                    + " com.h2database:h2 or org.xerial:sqlite-jdbc)");
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("sessionkit-jdbc");
        hikari.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            hikari.setUsername(settings.user());
        }
        if (settings.password() != null) {
            hikari.setPassword(settings.password());
        }
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setConnectionTimeout(settings.timeout().toMillis());
        // A validation may not take longer than the wait for a connection it belongs to.
        hikari.setValidationTimeout(Math.max(JdbcSettings.MIN_TIMEOUT.toMillis(), settings.timeout().toMillis() / 2));
        // Without a socket timeout a statement sent to a server that stopped answering waits forever.
        DriverTimeouts.forUrl(settings.url(), settings.timeout()).forEach(hikari::addDataSourceProperty);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SessionBackendException(TYPE, "connect", "could not connect to " + settings.printableUrl()
                    + (settings.user() == null ? "" : " as " + settings.user()) + ": " + cause.getMessage()
                    + "; check " + JdbcSettings.URL + ", " + JdbcSettings.USER + " and " + JdbcSettings.PASSWORD
                    + " and that the database is running", cause);
        }
        return BackendClient.owned(pool, unused -> pool.close());
    }
}
