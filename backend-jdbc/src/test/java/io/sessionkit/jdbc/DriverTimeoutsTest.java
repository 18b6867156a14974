package io.sessionkit.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The drivers' network timeouts derived from SESSION_JDBC_TIMEOUT. */
class DriverTimeoutsTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @DisplayName("PostgreSQL, in seconds: socket timeout = query timeout + 1; connect, login and cancel = the timeout rounded up")
    void postgresql() {
        assertEquals(Map.of("socketTimeout", "2", "connectTimeout", "1", "loginTimeout", "1", "cancelSignalTimeout", "1"),
                DriverTimeouts.forUrl("jdbc:postgresql://db:5432/app", ONE_SECOND));
        assertEquals(Map.of("socketTimeout", "6", "connectTimeout", "5", "loginTimeout", "5", "cancelSignalTimeout", "5"),
                DriverTimeouts.forUrl("jdbc:postgresql://db:5432/app", Duration.ofSeconds(5)));
        assertEquals(Map.of("socketTimeout", "2", "connectTimeout", "1", "loginTimeout", "1", "cancelSignalTimeout", "1"),
                DriverTimeouts.forUrl("jdbc:postgresql:app", Duration.ofMillis(250)), "rounded up to whole seconds");
        assertEquals(Map.of("socketTimeout", "4", "connectTimeout", "3", "loginTimeout", "3", "cancelSignalTimeout", "3"),
                DriverTimeouts.forUrl("JDBC:PostgreSQL://db/app", Duration.ofMillis(2500)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:mariadb://db:3306/app", "jdbc:mysql://db:3306/app", "jdbc:mysql:replication://a,b/app",
            "jdbc:mysql+srv://db/app"})
    @DisplayName("MariaDB and MySQL, in milliseconds: socket timeout = query timeout + 1 s; connect = the timeout")
    void mariadbAndMysql(String url) {
        assertEquals(Map.of("socketTimeout", "2000", "connectTimeout", "1000"), DriverTimeouts.forUrl(url, ONE_SECOND));
        assertEquals(Map.of("socketTimeout", "4000", "connectTimeout", "2500"),
                DriverTimeouts.forUrl(url, Duration.ofMillis(2500)), "3 s query timeout + 1 s");
    }

    @Test
    @DisplayName("a timeout the URL sets is left alone, whatever its value and letter case; the others are still set")
    void explicitTimeoutsKept() {
        assertEquals(Map.of("connectTimeout", "1", "loginTimeout", "1", "cancelSignalTimeout", "1"),
                DriverTimeouts.forUrl("jdbc:postgresql://db/app?socketTimeout=30", ONE_SECOND));
        assertEquals(Map.of("socketTimeout", "2", "cancelSignalTimeout", "1"),
                DriverTimeouts.forUrl("jdbc:postgresql://db/app?ssl=true&ConnectTimeout=0&loginTimeout=9", ONE_SECOND));
        assertEquals(Map.of("connectTimeout", "1000"),
                DriverTimeouts.forUrl("jdbc:mariadb://db/app?socketTimeout=0", ONE_SECOND));
        assertEquals(Map.of("socketTimeout", "2000"),
                DriverTimeouts.forUrl("jdbc:mysql://address=(host=db)(port=3306)(connectTimeout=500)/app", ONE_SECOND));
    }

    @Test
    @DisplayName("a parameter whose name only ends like a timeout's, or a value that mentions one, does not count")
    void onlyWholeParameterNames() {
        assertEquals(Map.of("socketTimeout", "2000", "connectTimeout", "1000"),
                DriverTimeouts.forUrl("jdbc:mariadb://db/app?xsocketTimeout=5&sessionVariables=connectTimeout", ONE_SECOND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:h2:mem:app", "jdbc:sqlite:/tmp/app.db", "jdbc:oracle:thin:@db:1521/app",
            "jdbc:pgsql://db/app"})
    @DisplayName("other drivers get nothing")
    void otherDrivers(String url) {
        assertEquals(Map.of(), DriverTimeouts.forUrl(url, ONE_SECOND));
    }
}
