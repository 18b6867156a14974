package io.sessionkit.spring.boot;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spring.boot.app.LoginApplication;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logged-in state lives in the store, not in the application: it survives closing the
 * application and starting a new one on the same store.
 */
class RestartTest {

    @Test
    @DisplayName("on Redis, a login survives a restart of the application")
    void redis() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            Map<String, Object> properties = Map.of("sessionkit.type", "redis", "sessionkit.redis.url", redis.url(),
                    "sessionkit.key-prefix", "restart-" + UUID.randomUUID() + ":");
            assertLoginSurvivesRestart(properties, new DataSourceBean(null));
        }
    }

    @Test
    @DisplayName("on PostgreSQL, through the application's own DataSource bean, a login survives a restart")
    void postgresql() throws Exception {
        String table = "boot_sessions_" + UUID.randomUUID().toString().replace("-", "");
        try (HikariDataSource dataSource = postgres()) {
            try {
                assertLoginSurvivesRestart(Map.of("SESSION_TYPE", "jdbc", "sessionkit.jdbc.table", table),
                        new DataSourceBean(dataSource));
            } finally {
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    private static void assertLoginSurvivesRestart(Map<String, Object> properties, DataSourceBean dataSource) throws Exception {
        Browser browser;
        try (RunningApplication first = RunningApplication.start(properties, dataSource::register)) {
            dataSource.assertHandedIn(first);
            browser = new Browser(first.port());
            assertEquals(302, browser.logIn(LoginApplication.USER, LoginApplication.PASSWORD).statusCode());
            assertEquals(200, browser.get("/me").statusCode());
        }
        try (RunningApplication second = RunningApplication.start(properties, dataSource::register)) {
            browser.port(second.port());
            HttpResponse<String> me = browser.get("/me");
            assertEquals(200, me.statusCode(), "still logged in after the restart: " + me.headers().map());
            assertTrue(me.body().startsWith("user=alice ") && me.body().contains("ROLE_USER"), me.body());
        }
    }

    /** The application's own DataSource, when the test gives one: SessionKit must use it, not a pool of its own. */
    private record DataSourceBean(DataSource dataSource) {

        void register(org.springframework.context.support.GenericApplicationContext context) {
            if (dataSource != null) {
                context.registerBean("applicationDataSource", DataSource.class, () -> dataSource,
                        definition -> definition.setDestroyMethodName(""));
            }
        }

        void assertHandedIn(RunningApplication application) {
            if (dataSource != null) {
                assertSame(dataSource, application.bean(SessionConfig.class).client(DataSource.class).orElseThrow());
            }
        }
    }

    private static HikariDataSource postgres() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(System.getenv().getOrDefault("SESSION_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
        dataSource.setUsername(System.getenv().getOrDefault("SESSION_TEST_POSTGRES_USER", "postgres"));
        dataSource.setPassword(System.getenv("SESSION_TEST_POSTGRES_PASSWORD"));
        dataSource.setMaximumPoolSize(4);
        return dataSource;
    }
}
