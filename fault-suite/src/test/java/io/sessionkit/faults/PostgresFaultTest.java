package io.sessionkit.faults;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.PostgresServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL killed and frozen under load: the postmaster and every backend get the signal. A
 * killed server recovers from its write-ahead log at the restart; the operating system's page
 * cache survives a process kill, so the private server's {@code fsync=off} does not weaken the
 * test. The store's own settings are the defaults ({@code SESSION_JDBC_TIMEOUT} 5 s, 10
 * connections); the store derives the driver timeouts that bound a statement to a frozen server
 * from {@code SESSION_JDBC_TIMEOUT}.
 */
@Tag("fault")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PostgresFaultTest {

    private static final String STORE = "jdbc, PostgreSQL";

    private PostgresServerProcess postgres;

    @BeforeEach
    void startPostgres() {
        postgres = PostgresServerProcess.start();
    }

    @AfterEach
    void stopPostgres() {
        postgres.close();
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder().set("SESSION_TYPE", "jdbc")
                .set("SESSION_JDBC_URL", postgres.url())
                .set("SESSION_JDBC_USER", "postgres");
    }

    @Test
    @DisplayName("PostgreSQL killed with SIGKILL and restarted under load: no acknowledged write lost, service back")
    void killAndRestart() throws Exception {
        ScenarioResult result = new FaultScenario(STORE, config()).run(new ProcessKill(postgres, Duration.ofSeconds(6)));
        FaultReport.record(result);
        result.assertNothingLost();
    }

    @Test
    @DisplayName("PostgreSQL frozen with SIGSTOP for 10 s under load: 503s while frozen, nothing lost, service back")
    void freeze() throws Exception {
        ScenarioResult result = new FaultScenario(STORE, config()).run(new ProcessFreeze(postgres, Duration.ofSeconds(10)));
        FaultReport.record(result);
        result.assertNothingLost();
    }
}
