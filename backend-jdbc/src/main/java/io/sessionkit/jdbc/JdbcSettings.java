package io.sessionkit.jdbc;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code jdbc} store's own configuration keys, read and validated together: every bad
 * value is reported in one {@link io.sessionkit.SessionConfigException}.
 *
 * @param url             {@code SESSION_JDBC_URL}; {@code null} when a {@link DataSource} was handed in
 * @param user            {@code SESSION_JDBC_USER}, or {@code null}
 * @param password        {@code SESSION_JDBC_PASSWORD}, or {@code null}; never printed
 * @param poolSize        {@code SESSION_JDBC_POOL_SIZE}: most connections the pool opens
 * @param table           {@code SESSION_JDBC_TABLE}
 * @param createTable     {@code SESSION_JDBC_CREATE_TABLE}: create the table at start-up when missing
 * @param cleanupInterval {@code SESSION_JDBC_CLEANUP_INTERVAL}: pause between background clean-ups
 *                        of expired rows; empty when they are switched off
 * @param timeout         {@code SESSION_JDBC_TIMEOUT}: longest wait for a connection, and for a statement
 * @param dataSource      the {@link DataSource} handed in from code, or {@code null}
 */
record JdbcSettings(String url, String user, String password, int poolSize, TableName table, boolean createTable,
                    Optional<Duration> cleanupInterval, Duration timeout, DataSource dataSource) {

    static final String URL = "SESSION_JDBC_URL";
    static final String USER = "SESSION_JDBC_USER";
    static final String PASSWORD = "SESSION_JDBC_PASSWORD";
    static final String POOL_SIZE = "SESSION_JDBC_POOL_SIZE";
    static final String TABLE = "SESSION_JDBC_TABLE";
    static final String CREATE_TABLE = "SESSION_JDBC_CREATE_TABLE";
    static final String CLEANUP_INTERVAL = "SESSION_JDBC_CLEANUP_INTERVAL";
    static final String TIMEOUT = "SESSION_JDBC_TIMEOUT";

    static final int DEFAULT_POOL_SIZE = 10;
    static final String DEFAULT_TABLE = "sessions";
    static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(5);
    static final Duration MIN_CLEANUP_INTERVAL = Duration.ofMillis(10);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** HikariCP refuses connection timeouts below 250 ms. */
    static final Duration MIN_TIMEOUT = Duration.ofMillis(250);
    /** A request waits this long at most; it also keeps the query timeout, in whole seconds, an {@code int}. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    /**
     * Reads and validates the keys. Every key is read whether or not it applies, so that none
     * is reported as unknown; one that cannot apply (a connection key beside a handed-in
     * {@link DataSource}) is a problem.
     *
     * @param config the whole configuration
     * @return the settings
     * @throws io.sessionkit.SessionConfigException listing every bad value
     */
    static JdbcSettings read(SessionConfig config) {
        ConfigReader reader = config.reader();
        DataSource dataSource = reader.client(DataSource.class, URL, USER, PASSWORD).orElse(null);
        String url = null;
        String user = null;
        String password = null;
        boolean poolSizeSet = reader.optionalString(POOL_SIZE).isPresent();
        int poolSize = reader.integer(POOL_SIZE, DEFAULT_POOL_SIZE, 1, 1000);
        if (dataSource == null) {
            url = reader.required(URL, "unless a javax.sql.DataSource is handed in from code"
                    + " (for example jdbc:postgresql://127.0.0.1:5432/app)");
            if (url != null && !url.startsWith("jdbc:")) {
                reader.invalid(URL, url, "a JDBC URL starting with jdbc:, such as jdbc:postgresql://127.0.0.1:5432/app");
            }
            user = reader.optionalString(USER).orElse(null);
            password = reader.optionalString(PASSWORD).orElse(null);
        } else if (poolSizeSet) {
            reader.problem(POOL_SIZE + " is set but a " + dataSource.getClass().getName() + " was also handed in from code;"
                    + " the handed-in pool's own size applies: remove " + POOL_SIZE + " or do not hand in the DataSource");
        }
        String tableText = reader.string(TABLE, DEFAULT_TABLE);
        TableName table = TableName.parse(tableText);
        if (table == null) {
            reader.invalid(TABLE, tableText, TableName.EXPECTATION);
        }
        boolean createTable = reader.bool(CREATE_TABLE, true);
        Optional<Duration> cleanupInterval = reader.durationOrOff(CLEANUP_INTERVAL, Optional.of(DEFAULT_CLEANUP_INTERVAL),
                MIN_CLEANUP_INTERVAL, null);
        Duration timeout = reader.duration(TIMEOUT, DEFAULT_TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
        reader.validate();
        return new JdbcSettings(url, user, password, poolSize, table, createTable, cleanupInterval, timeout, dataSource);
    }

    /**
     * @param timeout {@code SESSION_JDBC_TIMEOUT}
     * @return the query timeout that JDBC takes in whole seconds: the timeout rounded up, at least 1
     */
    static int queryTimeoutSeconds(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /**
     * @return the URL as it may appear in messages and logs: passwords masked
     */
    String printableUrl() {
        return url == null ? "(DataSource handed in)" : ConfigReader.mask(url);
    }

    /**
     * @return where the database is, for messages: the masked URL, or the DataSource handed in
     */
    String source() {
        return url == null ? "the DataSource handed in" : URL + " '" + printableUrl() + "'";
    }

    /**
     * @return the settings without the password
     */
    @Override
    public String toString() {
        return "JdbcSettings[url=" + printableUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", poolSize=" + poolSize + ", table=" + table + ", createTable=" + createTable
                + ", cleanupInterval=" + cleanupInterval.map(Duration::toString).orElse("off") + ", timeout=" + timeout + "]";
    }
}
