package io.sessionkit.jdbc;

import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SessionConfig;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Reading and validating the SESSION_JDBC_* keys. */
class JdbcSettingsTest {

    private static JdbcSettings read(Map<String, ?> values) {
        return JdbcSettings.read(SessionConfig.builder().set("SESSION_TYPE", "jdbc").fromMap(values).build());
    }

    private static JdbcDataSource handedInDataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:handed-in");
        return dataSource;
    }

    private static SessionConfigException readFails(Map<String, ?> values) {
        return assertThrows(SessionConfigException.class, () -> read(values));
    }

    @Test
    @DisplayName("defaults: pool of 10, table sessions, created at start-up, clean-up every 5 minutes, 5 s timeout")
    void defaults() {
        JdbcSettings settings = read(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x"));
        assertEquals(10, settings.poolSize());
        assertEquals("sessions", settings.table().qualified());
        assertTrue(settings.createTable());
        assertEquals(Optional.of(Duration.ofMinutes(5)), settings.cleanupInterval());
        assertEquals(Duration.ofSeconds(5), settings.timeout());
        assertNull(settings.user());
        assertNull(settings.password());
    }

    @Test
    @DisplayName("a schema-qualified table name is accepted")
    void schemaQualifiedTable() {
        JdbcSettings settings = read(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.TABLE, "app.web_sessions"));
        assertEquals("app", settings.table().schema());
        assertEquals("web_sessions", settings.table().name());
        assertEquals("app.web_sessions", settings.table().qualified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sessions; DROP TABLE users", "sessions--", "a.b.c", "1sessions", "web-sessions", "\"sessions\"",
            "s p", "app.", ".sessions", "x'y", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    @DisplayName("a table name that is not a plain identifier is rejected before it reaches SQL")
    void badTableNameRejected(String table) {
        SessionConfigException error = readFails(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.TABLE, table));
        assertEquals(1, error.problems().size(), error.getMessage());
        assertTrue(error.problems().get(0).startsWith("SESSION_JDBC_TABLE was '" + table + "' but it must be a plain SQL identifier"),
                error.getMessage());
    }

    @Test
    @DisplayName("every bad value is reported at once")
    void allProblemsTogether() {
        SessionConfigException error = readFails(Map.of(
                JdbcSettings.POOL_SIZE, "zero",
                JdbcSettings.TABLE, "bad name",
                JdbcSettings.CREATE_TABLE, "maybe",
                JdbcSettings.CLEANUP_INTERVAL, "soon",
                JdbcSettings.TIMEOUT, "PT0.1S"));
        assertEquals(6, error.problems().size(), error.getMessage());
        String message = error.getMessage();
        for (String key : new String[]{"SESSION_JDBC_URL is not set", "SESSION_JDBC_POOL_SIZE was 'zero'", "SESSION_JDBC_TABLE was 'bad name'",
                "SESSION_JDBC_CREATE_TABLE was 'maybe'", "SESSION_JDBC_CLEANUP_INTERVAL was 'soon' but it must be a duration of at least",
                "or 0 (off) to switch it off", "SESSION_JDBC_TIMEOUT was 'PT0.1S' but it must be a duration of at least PT0.25S"}) {
            assertTrue(message.contains(key), "missing '" + key + "' in: " + message);
        }
    }

    @Test
    @DisplayName("a URL that is not a JDBC URL is rejected")
    void urlMustBeJdbc() {
        SessionConfigException error = readFails(Map.of(JdbcSettings.URL, "postgresql://127.0.0.1/app"));
        assertTrue(error.getMessage().contains("SESSION_JDBC_URL was 'postgresql://127.0.0.1/app' but it must be a JDBC URL"),
                error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "off", "OFF", "PT0S", "false", "no", "none"})
    @DisplayName("0 or off switches the background clean-up off")
    void cleanupCanBeSwitchedOff(String value) {
        assertEquals(Optional.empty(),
                read(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.CLEANUP_INTERVAL, value)).cleanupInterval());
    }

    @Test
    @DisplayName("clean-up interval and timeout accept seconds and ISO-8601")
    void durations() {
        JdbcSettings settings = read(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.CLEANUP_INTERVAL, "60",
                JdbcSettings.TIMEOUT, "PT0.5S"));
        assertEquals(Optional.of(Duration.ofMinutes(1)), settings.cleanupInterval());
        assertEquals(Duration.ofMillis(500), settings.timeout());
    }

    @Test
    @DisplayName("the password never appears in messages or toString, not even inside the URL")
    void passwordNeverPrinted() {
        Map<String, String> values = Map.of(
                JdbcSettings.URL, "jdbc:postgresql://app:hunter2@127.0.0.1/app?password=hunter2&ssl=true",
                JdbcSettings.USER, "app",
                JdbcSettings.PASSWORD, "hunter2");
        JdbcSettings settings = read(values);
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
        assertFalse(settings.printableUrl().contains("hunter2"), settings.printableUrl());
        assertTrue(settings.printableUrl().contains("ssl=true"), settings.printableUrl());
        SessionConfigException error = readFails(Map.of(JdbcSettings.URL, "postgresql://app:hunter2@127.0.0.1/app",
                JdbcSettings.PASSWORD, "hunter2", JdbcSettings.POOL_SIZE, "-1"));
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    @DisplayName("a DataSource handed in replaces the URL, and setting both is an error")
    void dataSourceHandedIn() {
        JdbcDataSource dataSource = handedInDataSource();
        JdbcSettings settings = JdbcSettings.read(SessionConfig.builder().client(dataSource).build());
        assertSame(dataSource, settings.dataSource());
        assertNull(settings.url());

        SessionConfigException error = assertThrows(SessionConfigException.class, () -> JdbcSettings.read(
                SessionConfig.builder().client(dataSource).set(JdbcSettings.URL, "jdbc:h2:mem:other").build()));
        assertTrue(error.getMessage().contains("SESSION_JDBC_URL is set but a org.h2.jdbcx.JdbcDataSource was also handed in"),
                error.getMessage());
    }

    @Test
    @DisplayName("the timeout is bounded above, so that no request waits for hours")
    void timeoutBoundedAbove() {
        SessionConfigException error = readFails(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.TIMEOUT, "P1D"));
        assertEquals(List.of("SESSION_JDBC_TIMEOUT was 'P1D' but it must be a duration of at least PT0.25S and at most PT1H"
                + " in seconds (3600) or ISO-8601 (PT30M, P31D)"), error.problems());
        assertEquals(Duration.ofHours(1), read(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.TIMEOUT, "PT1H")).timeout());
    }

    @Test
    @DisplayName("the clean-up interval must be at least 10 ms unless it is off")
    void cleanupIntervalBoundedBelow() {
        SessionConfigException error = readFails(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.CLEANUP_INTERVAL, "PT0.001S"));
        assertEquals(1, error.problems().size(), error.getMessage());
        assertTrue(error.problems().get(0).startsWith("SESSION_JDBC_CLEANUP_INTERVAL was 'PT0.001S' but it must be a duration"
                + " of at least PT0.01S"), error.getMessage());
        assertEquals(Optional.of(Duration.ofMillis(10)),
                read(Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.CLEANUP_INTERVAL, "PT0.01S")).cleanupInterval());
    }

    @ParameterizedTest
    @ValueSource(strings = {JdbcSettings.USER, JdbcSettings.PASSWORD})
    @DisplayName("a user or password beside a handed-in DataSource is an error naming both, never silently ignored")
    void credentialsBesideDataSourceRejected(String key) {
        JdbcDataSource dataSource = handedInDataSource();
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> JdbcSettings.read(
                SessionConfig.builder().client(dataSource).set(key, "hunter2").build()));
        assertEquals(1, error.problems().size(), error.getMessage());
        assertTrue(error.problems().get(0).startsWith(key + " is set but a org.h2.jdbcx.JdbcDataSource was also handed in"),
                error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    @DisplayName("a pool size beside a handed-in DataSource is an error naming both: the application's pool has its own")
    void poolSizeBesideDataSourceRejected() {
        JdbcDataSource dataSource = handedInDataSource();
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> JdbcSettings.read(
                SessionConfig.builder().client(dataSource).set(JdbcSettings.POOL_SIZE, "20").build()));
        assertEquals(List.of("SESSION_JDBC_POOL_SIZE is set but a org.h2.jdbcx.JdbcDataSource was also handed in from code;"
                + " the handed-in pool's own size applies: remove SESSION_JDBC_POOL_SIZE or do not hand in the DataSource"),
                error.problems());
    }

    @Test
    @DisplayName("every SESSION_JDBC_* key is read with a URL, and with a DataSource handed in")
    void everyKeyReadInEveryMode() {
        Map<String, String> all = Map.of(JdbcSettings.URL, "jdbc:h2:mem:x", JdbcSettings.USER, "app",
                JdbcSettings.PASSWORD, "pw", JdbcSettings.POOL_SIZE, "3", JdbcSettings.TABLE, "t",
                JdbcSettings.CREATE_TABLE, "false", JdbcSettings.CLEANUP_INTERVAL, "off", JdbcSettings.TIMEOUT, "PT1S");
        SessionConfig withUrl = SessionConfig.builder().fromMap(all).build();
        JdbcSettings.read(withUrl);
        assertEquals(Map.of(), withUrl.unreadKeys());

        JdbcDataSource dataSource = handedInDataSource();
        SessionConfig withDataSource = SessionConfig.builder().fromMap(all).client(dataSource).build();
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> JdbcSettings.read(withDataSource));
        assertEquals(Map.of(), withDataSource.unreadKeys());
        assertEquals(4, error.problems().size(), "URL, user, password and pool size do not apply: " + error.getMessage());
    }
}
