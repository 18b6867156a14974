package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import io.sessionkit.servlet.testing.CounterApplication;
import io.sessionkit.testsupport.FrozenStoreRequests;
import io.sessionkit.testsupport.StoreServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * End to end through embedded Jetty and {@link SessionKitFilter} on a private database server
 * that the test freezes ({@code SIGSTOP} of the server and all its processes): its connections
 * stay open, the kernel still accepts new ones, and nothing ever answers, as with a hung machine
 * or a network path that drops every packet. Only the driver's socket timeout, which the pool is
 * given from {@code SESSION_JDBC_TIMEOUT}, ends a statement that was sent; the query timeout
 * cannot, since its cancel request goes to the same frozen server.
 */
abstract class FrozenDatabaseServletTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /**
     * A request may wait for a pooled connection (the timeout, plus the validation of an idle one)
     * and then for one statement to time out on its socket (the query timeout plus 1 s); the rest
     * is slack for a busy machine. Only a request that waits for the frozen server breaks it.
     */
    static final Duration ANSWERS_WITHIN = TIMEOUT.multipliedBy(4).plusSeconds(2);
    /** The pool reopens its connections once the server answers again. */
    static final Duration RECOVERS_WITHIN = TIMEOUT.multipliedBy(5).plusSeconds(5);
    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final Logger FILTER_LOG = Logger.getLogger(SessionKitFilter.class.getName());

    private StoreServerProcess database;
    private CounterApplication application;

    /**
     * @return a private server, started
     */
    abstract StoreServerProcess startDatabase();

    /**
     * @param database the started server
     * @return the connection keys for it: URL and user
     */
    abstract SessionConfig.Builder connectTo(StoreServerProcess database);

    @BeforeEach
    void start() throws Exception {
        // The failures are expected here: keep the filter's error log out of the build output.
        FILTER_LOG.setLevel(Level.OFF);
        database = startDatabase();
        application = CounterApplication.start(connectTo(database)
                .set("SESSION_TYPE", "jdbc")
                .set(JdbcSettings.TABLE, "sk_frozen")
                .set(JdbcSettings.TIMEOUT, TIMEOUT)
                .set(JdbcSettings.POOL_SIZE, 2)
                .set(JdbcSettings.CLEANUP_INTERVAL, "off")
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (application != null) {
                application.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
            FILTER_LOG.setLevel(null);
        }
    }

    @Test
    @DisplayName("a frozen database: concurrent requests with and without a session answer 503 within the bound;"
            + " after it resumes, the session stored before is served again without a restart")
    void frozenDatabaseAnswers503AndRecovers() throws Exception {
        FrozenStoreRequests.Figures figures = FrozenStoreRequests.freezeAndRecover(application, database, ANSWERS_WITHIN,
                RECOVERS_WITHIN);
        System.out.printf("frozen %s: SESSION_JDBC_TIMEOUT=%s, longest 503 %d ms, served again %d ms after SIGCONT%n",
                getClass().getSimpleName(), TIMEOUT, figures.longest503().toMillis(), figures.recovery().toMillis());
    }
}

