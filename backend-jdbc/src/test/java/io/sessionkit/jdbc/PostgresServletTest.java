package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import io.sessionkit.servlet.testing.CounterApplication;
import io.sessionkit.testsupport.LogLeakWatch;
import io.sessionkit.testsupport.PostgresServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.sessionkit.servlet.testing.CounterApplication.sessionCookie;
import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end through embedded Jetty and {@link SessionKitFilter} on a private PostgreSQL that the
 * test stops and starts: requests answer 503 within the timeout while it is down, and the same
 * application serves the same sessions again once it is back, without a restart.
 */
class PostgresServletTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Generous: only a request that hangs far beyond the store's timeout fails this. */
    private static final Duration ANSWERS_WITHIN = TIMEOUT.multipliedBy(10);
    private static AutoCloseable quietFilterLog;

    private static PostgresServerProcess postgres;
    private static CounterApplication application;

    @BeforeAll
    static void start() throws Exception {
        // The outage is expected here: keep the filter's error log out of the build output (still watched).
        quietFilterLog = LogLeakWatch.quiet(SessionKitFilter.class);
        postgres = PostgresServerProcess.start();
        application = CounterApplication.start(SessionConfig.builder()
                .set("SESSION_TYPE", "jdbc")
                .set(JdbcSettings.URL, postgres.url())
                .set(JdbcSettings.USER, "postgres")
                .set(JdbcSettings.TABLE, "sk_servlet_outage")
                .set(JdbcSettings.TIMEOUT, TIMEOUT)
                .set(JdbcSettings.POOL_SIZE, 2)
                .build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (application != null) {
            application.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        quietFilterLog.close();
    }

    @Test
    @DisplayName("a stopped PostgreSQL answers 503 within the timeout; after its restart the same sessions are served again")
    void databaseOutageAnswers503AndRecovers() throws Exception {
        HttpResponse<String> first = application.count(null);
        assertEquals(200, first.statusCode());
        assertEquals("1", first.body());
        String cookie = sessionCookie(first);
        assertEquals("2", application.count(cookie).body(), "the session was not kept in PostgreSQL");

        postgres.stop();
        long started = System.nanoTime();
        HttpResponse<String> duringOutage = application.count(cookie);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(503, duringOutage.statusCode(), duringOutage.body());
        assertFalse(duringOutage.body().contains("Exception"), duringOutage.body());
        assertTrue(took.compareTo(ANSWERS_WITHIN) < 0, "the 503 took " + took);

        postgres.restart();
        // The pool reconnects on its own; requests may fail for about one timeout until it has.
        HttpResponse<String> afterRestart = application.countOnceServed(cookie, ANSWERS_WITHIN);
        assertEquals(200, afterRestart.statusCode(), afterRestart.body());
        assertEquals("3", afterRestart.body(), "the session stored before the outage is served again");
    }
}
