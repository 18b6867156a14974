package io.sessionkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Provides {@code SESSION_TYPE=jdbc}: sessions in a table of PostgreSQL, MariaDB/MySQL, H2 or
 * SQLite. The application brings the JDBC driver of its database.
 *
 * <p>Keys: {@code SESSION_JDBC_URL} (required unless a {@link javax.sql.DataSource} is handed
 * in with {@link SessionConfig.Builder#client(Object)}), {@code SESSION_JDBC_USER},
 * {@code SESSION_JDBC_PASSWORD}, {@code SESSION_JDBC_POOL_SIZE} (10),
 * {@code SESSION_JDBC_TABLE} ({@code sessions}), {@code SESSION_JDBC_CREATE_TABLE} (true),
 * {@code SESSION_JDBC_CLEANUP_INTERVAL} (PT5M; 0 or off disables) and
 * {@code SESSION_JDBC_TIMEOUT} (PT5S).
 *
 * <p>{@link #create} connects at once: an unreachable database fails start-up with a
 * {@link SessionBackendException}, a missing driver or an unsupported database with a
 * {@link SessionConfigException}.
 */
public final class JdbcSessionBackendProvider implements SessionBackendProvider {

    /** Does nothing; all work happens in {@link #create}. */
    public JdbcSessionBackendProvider() {
    }

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        JdbcSettings settings = JdbcSettings.read(config);
        if (settings.dataSource() != null) {
            return new JdbcSessionBackend(settings.dataSource(), null, settings, config.clock());
        }
        HikariDataSource pool = openPool(settings);
        try {
            return new JdbcSessionBackend(pool, pool, settings, config.clock());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariDataSource openPool(JdbcSettings settings) {
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
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SessionBackendException("jdbc", "connect", "could not connect to " + settings.printableUrl()
                    + (settings.user() == null ? "" : " as " + settings.user()) + ": " + cause.getMessage()
                    + "; check " + JdbcSettings.URL + ", " + JdbcSettings.USER + " and " + JdbcSettings.PASSWORD
                    + " and that the database is running", cause);
        }
    }
}
