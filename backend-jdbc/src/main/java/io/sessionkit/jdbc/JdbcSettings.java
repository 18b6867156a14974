package io.sessionkit.jdbc;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

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
 *                        of expired rows, or {@code null} when they are switched off
 * @param timeout         {@code SESSION_JDBC_TIMEOUT}: longest wait for a connection, and for a statement
 * @param dataSource      the {@link DataSource} handed in from code, or {@code null}
 */
record JdbcSettings(String url, String user, String password, int poolSize, TableName table, boolean createTable,
                    Duration cleanupInterval, Duration timeout, DataSource dataSource) {

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
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** HikariCP refuses connection timeouts below 250 ms. */
    static final Duration MIN_TIMEOUT = Duration.ofMillis(250);

    private static final Pattern URL_PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");

    /**
     * Reads and validates the keys.
     *
     * @param config the whole configuration
     * @return the settings
     * @throws io.sessionkit.SessionConfigException listing every bad value
     */
    static JdbcSettings read(SessionConfig config) {
        ConfigReader reader = config.reader();
        DataSource dataSource = config.client(DataSource.class).orElse(null);
        String url;
        if (dataSource == null) {
            url = reader.required(URL, "unless a javax.sql.DataSource is handed in from code"
                    + " (for example jdbc:postgresql://127.0.0.1:5432/app)");
            if (url != null && !url.startsWith("jdbc:")) {
                reader.invalid(URL, url, "a JDBC URL starting with jdbc:, such as jdbc:postgresql://127.0.0.1:5432/app");
            }
        } else {
            url = null;
            if (reader.optionalString(URL).isPresent()) {
                reader.problem(URL + " is set but a " + dataSource.getClass().getName() + " was also handed in from code;"
                        + " the store would use only one of them: remove " + URL + " or do not hand in the DataSource");
            }
        }
        String user = reader.optionalString(USER).orElse(null);
        String password = reader.optionalString(PASSWORD).orElse(null);
        int poolSize = reader.integer(POOL_SIZE, DEFAULT_POOL_SIZE, 1, 1000);
        String tableText = reader.string(TABLE, DEFAULT_TABLE);
        TableName table = TableName.parse(tableText);
        if (table == null) {
            reader.invalid(TABLE, tableText, TableName.EXPECTATION);
        }
        boolean createTable = reader.bool(CREATE_TABLE, true);
        Duration cleanupInterval = readCleanupInterval(reader);
        Duration timeout = reader.duration(TIMEOUT, DEFAULT_TIMEOUT);
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            reader.invalid(TIMEOUT, config.get(TIMEOUT).orElse(""), "at least 250 milliseconds (PT0.25S)");
        }
        reader.validate();
        return new JdbcSettings(url, user, password, poolSize, table, createTable, cleanupInterval, timeout, dataSource);
    }

    /** {@code 0}, {@code off} or a zero duration switch the background clean-up off. */
    private static Duration readCleanupInterval(ConfigReader reader) {
        Optional<String> text = reader.optionalString(CLEANUP_INTERVAL);
        if (text.isPresent() && isOff(text.get())) {
            return null;
        }
        Duration interval = reader.duration(CLEANUP_INTERVAL, DEFAULT_CLEANUP_INTERVAL);
        if (text.isPresent() && interval.compareTo(Duration.ofMillis(10)) < 0) {
            reader.invalid(CLEANUP_INTERVAL, text.get(), "at least 10 milliseconds, or 0/off to disable the clean-up");
        }
        return interval;
    }

    private static boolean isOff(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("0") || value.equals("off") || value.equals("false") || value.equals("none")) {
            return true;
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT)).isZero();
        } catch (DateTimeParseException notADuration) {
            return false;
        }
    }

    /**
     * @return the URL as it may appear in messages and logs: passwords masked
     */
    String printableUrl() {
        return url == null ? "(DataSource handed in)"
                : URL_PASSWORD_PARAMETER.matcher(ConfigReader.describe(URL, url)).replaceAll("$1***");
    }

    /**
     * @return the settings without the password
     */
    @Override
    public String toString() {
        return "JdbcSettings[url=" + printableUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", poolSize=" + poolSize + ", table=" + table + ", createTable=" + createTable
                + ", cleanupInterval=" + (cleanupInterval == null ? "off" : cleanupInterval) + ", timeout=" + timeout + "]";
    }
}
