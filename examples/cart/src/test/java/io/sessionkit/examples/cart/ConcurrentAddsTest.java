package io.sessionkit.examples.cart;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Forty "add to cart" requests of one session at once, over real HTTP: with
 * {@code SESSION_LOCKING=true} the cart ends with all forty items, on Redis, PostgreSQL and the
 * filesystem. Each request reads the cart and writes it back, which no merge can reconcile; the
 * lock makes the requests of one session run one after the other.
 */
class ConcurrentAddsTest {

    private static final int ADDS = 40;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Pattern APPLES = Pattern.compile("apple &times; (\\d+)");

    private static RedisServerProcess redis;

    @TempDir
    Path sessions;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private static SessionConfig.Builder locking(String type) {
        return SessionConfig.builder().set("SESSION_TYPE", type).set("SESSION_LOCKING", "true")
                .set("SESSION_LOCK_TIMEOUT", "PT60S").set("SESSION_KEY_PREFIX", "cart-" + System.nanoTime() + ":");
    }

    @Test
    void fortyConcurrentAddsOnRedis() throws Exception {
        assertFortyApples(locking("redis").set("SESSION_REDIS", redis.url()).build());
    }

    @Test
    void fortyConcurrentAddsOnPostgres() throws Exception {
        String url = System.getenv().getOrDefault("SESSION_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("SESSION_TEST_POSTGRES_USER", "postgres");
        assertFortyApples(locking("jdbc").set("SESSION_JDBC_URL", url).set("SESSION_JDBC_USER", user)
                .set("SESSION_JDBC_PASSWORD", System.getenv("SESSION_TEST_POSTGRES_PASSWORD"))
                .set("SESSION_JDBC_TABLE", "cart_demo_sessions").build());
    }

    @Test
    void fortyConcurrentAddsOnTheFilesystem() throws Exception {
        assertFortyApples(locking("filesystem").set("SESSION_FILE_DIR", sessions.toString()).build());
    }

    private static void assertFortyApples(SessionConfig config) throws Exception {
        try (CartServer server = CartServer.start(config, "127.0.0.1", 0)) {
            String cookie = add(server.uri(), null);
            assertNotNull(cookie, "the first add starts the session");
            ExecutorService browserTabs = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> adds = new ArrayList<>();
                for (int i = 1; i < ADDS; i++) {
                    adds.add(browserTabs.submit(() -> add(server.uri(), cookie)));
                }
                for (Future<String> add : adds) {
                    add.get(120, TimeUnit.SECONDS);
                }
            } finally {
                browserTabs.shutdownNow();
            }
            HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(server.uri()).header("Cookie", "session=" + cookie)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher apples = APPLES.matcher(page.body());
            assertEquals(true, apples.find(), page.body());
            assertEquals(ADDS, Integer.parseInt(apples.group(1)), "apples in the cart after " + ADDS + " concurrent adds");
        }
    }

    /** Posts one "add apple"; returns the session cookie the response set, if any. */
    private static String add(URI server, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve("/add"))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("item=apple"));
        if (cookie != null) {
            request.header("Cookie", "session=" + cookie);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, response.statusCode(), response.body());
        return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith("session="))
                .map(h -> h.substring("session=".length(), h.indexOf(';'))).findFirst().orElse(null);
    }
}
