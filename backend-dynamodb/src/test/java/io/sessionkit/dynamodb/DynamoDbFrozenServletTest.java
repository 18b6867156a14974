package io.sessionkit.dynamodb;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import io.sessionkit.servlet.testing.CounterApplication;
import io.sessionkit.testsupport.FrozenStoreRequests;
import io.sessionkit.testsupport.DynamoDbLocalProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * End to end through embedded Jetty and {@link SessionKitFilter} on DynamoDB Local in a child JVM that the
 * test freezes ({@code SIGSTOP} of that JVM): its connections stay open, the kernel still accepts new ones,
 * and nothing answers, as with a hung machine or a network path that drops every packet.
 */
class DynamoDbFrozenServletTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** One call's timeout per store call of a request, and slack for a busy machine. */
    private static final Duration ANSWERS_WITHIN = TIMEOUT.multipliedBy(4).plusSeconds(2);
    private static final Duration RECOVERS_WITHIN = TIMEOUT.multipliedBy(5).plusSeconds(5);
    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final Logger FILTER_LOG = Logger.getLogger(SessionKitFilter.class.getName());

    private DynamoDbLocalProcess dynamodb;
    private CounterApplication application;

    @BeforeEach
    void start() throws Exception {
        // The failures are expected here: keep the filter's error log out of the build output.
        FILTER_LOG.setLevel(Level.OFF);
        dynamodb = DynamoDbLocalProcess.start();
        // The first table creation and writes of a new DynamoDB Local JVM can take longer than the
        // short timeout under test: an application with the default timeout goes first.
        try (CounterApplication warmUp = CounterApplication.start(config().build())) {
            assertEquals(200, warmUp.count(null).statusCode());
        }
        application = CounterApplication.start(config().set("SESSION_DYNAMODB_TIMEOUT", TIMEOUT).build());
    }

    private SessionConfig.Builder config() {
        return SessionConfig.builder().fromMap(dynamodb.sessionEnvironment()).set("SESSION_DYNAMODB_TABLE", "FrozenSessions");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (application != null) {
                application.close();
            }
        } finally {
            if (dynamodb != null) {
                dynamodb.close();
            }
            FILTER_LOG.setLevel(null);
        }
    }

    @Test
    @DisplayName("a frozen DynamoDB Local: concurrent requests with and without a session answer 503 within the bound;"
            + " after it resumes, the session stored before is served again without a restart")
    void frozenDynamoDbAnswers503AndRecovers() throws Exception {
        FrozenStoreRequests.Figures figures = FrozenStoreRequests.freezeAndRecover(application, dynamodb, ANSWERS_WITHIN,
                RECOVERS_WITHIN);
        System.out.printf("frozen DynamoDB Local: SESSION_DYNAMODB_TIMEOUT=%s, longest 503 %d ms, served again %d ms after SIGCONT%n",
                TIMEOUT, figures.longest503().toMillis(), figures.recovery().toMillis());
    }
}
