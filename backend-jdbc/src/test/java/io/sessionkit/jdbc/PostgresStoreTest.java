package io.sessionkit.jdbc;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The jdbc store's own behaviour on PostgreSQL. */
class PostgresStoreTest extends JdbcStoreBehaviour {

    private static final TestDatabase DATABASE = TestDatabase.postgres();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String table() {
        return "sk_store_postgres";
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.POSTGRESQL;
    }

    @Test
    @DisplayName("a schema-qualified table is created in that schema, with its index")
    void schemaQualifiedTable() {
        DATABASE.execute("DROP SCHEMA IF EXISTS sk_app CASCADE");
        DATABASE.execute("CREATE SCHEMA sk_app");
        SessionConfig config = DATABASE.configure(SessionConfig.builder().set("SESSION_TYPE", "jdbc"), "sk_app.web_sessions")
                .set(JdbcSettings.CLEANUP_INTERVAL, "off").build();
        try (JdbcSessionBackend backend = (JdbcSessionBackend) new JdbcSessionBackendProvider().create(config)) {
            backend.save("k", "v".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));
            assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), backend.load("k"));
        }
        assertEquals(1, DATABASE.count("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'sk_app'"
                + " AND tablename = 'web_sessions' AND indexname = 'web_sessions_expires_at'"));
        DATABASE.execute("DROP SCHEMA sk_app CASCADE");
    }

    @Test
    @DisplayName("with a linguistic collation on id, where prefixes differing in case interleave, counts and pages stay exact")
    void listingUnderALinguisticCollation() {
        JdbcSessionBackend backend = backend();
        // ICU's English order puts case after the letters: s:a, S:b, s:c, S:d ... interleave in the index.
        DATABASE.execute("ALTER TABLE " + table() + " ALTER COLUMN id TYPE VARCHAR(255) COLLATE \"en-x-icu\"");
        java.util.Map<String, java.util.Set<String>> keysByPrefix = new java.util.HashMap<>();
        for (String prefix : java.util.List.of("s:", "S:", "s-:", "s:x")) {
            keysByPrefix.put(prefix, new java.util.HashSet<>());
        }
        String letters = "abcdefghij";
        for (int i = 0; i < letters.length(); i++) {
            String prefix = i % 2 == 0 ? "s:" : "S:";
            String key = prefix + letters.charAt(i);
            backend.save(key, key.getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));
            keysByPrefix.get(prefix).add(key);
            backend.save("s-:" + letters.charAt(i), new byte[] {1}, Duration.ofHours(1));
            keysByPrefix.get("s-:").add("s-:" + letters.charAt(i));
        }
        io.sessionkit.spi.SessionListing listing = backend.capability(io.sessionkit.spi.SessionListing.class).orElseThrow();
        keysByPrefix.forEach((prefix, keys) -> {
            assertEquals(keys.size(), listing.count(prefix), prefix);
            for (int limit : new int[] {1, 2, 3, 100}) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                String cursor = null;
                do {
                    io.sessionkit.spi.ListedPage page = listing.list(prefix, cursor, limit);
                    page.entries().forEach(entry -> assertTrue(seen.add(entry.key()), "listed twice: " + entry.key()));
                    cursor = page.nextCursor();
                } while (cursor != null);
                assertEquals(keys, seen, prefix + ", pages of " + limit);
            }
        });
    }

    @Test
    @DisplayName("the pool's connections have a socket timeout of the query timeout + 1 s; one the URL sets is kept")
    void socketTimeoutFromTheTimeout() throws Exception {
        SessionConfig.Builder config = DATABASE.configure(SessionConfig.builder().set("SESSION_TYPE", "jdbc"), table())
                .set(JdbcSettings.CLEANUP_INTERVAL, "off").set(JdbcSettings.TIMEOUT, "PT2.5S");
        assertEquals(4000, networkTimeoutMillis(config.build()), "3 s query timeout + 1 s");
        String explicit = DATABASE.url() + (DATABASE.url().contains("?") ? "&" : "?") + "socketTimeout=7";
        assertEquals(7000, networkTimeoutMillis(config.set(JdbcSettings.URL, explicit).build()));
    }

    private static int networkTimeoutMillis(SessionConfig config) throws Exception {
        try (JdbcSessionBackend backend = (JdbcSessionBackend) new JdbcSessionBackendProvider().create(config);
             Connection connection = backend.dataSource().getConnection()) {
            return connection.getNetworkTimeout();
        }
    }

    @Test
    @DisplayName("every SESSION_JDBC_* key is read when the store connects by URL: none is reported as unknown")
    void everyKeyReadWithUrl() {
        // Trust authentication accepts any password, so every key can be set.
        SessionConfig config = DATABASE.configure(SessionConfig.builder().set("SESSION_TYPE", "jdbc"), table())
                .set(JdbcSettings.USER, "postgres").set(JdbcSettings.PASSWORD, "not-needed-with-trust")
                .set(JdbcSettings.POOL_SIZE, 2).set(JdbcSettings.CREATE_TABLE, "true")
                .set(JdbcSettings.CLEANUP_INTERVAL, "PT10M").set(JdbcSettings.TIMEOUT, "PT3S").build();
        try (SessionInterface sessions = SessionInterface.create(config)) {
            assertEquals("jdbc", sessions.backendName());
        }
        assertEquals(Map.of(), config.unreadKeys());
    }

    @Test
    @DisplayName("a start-up that fails after the pool was opened closes the pool and starts no clean-up thread")
    void failedStartUpClosesThePool() throws InterruptedException {
        String application = "sk_failed_start";
        SessionConfig config = DATABASE.configure(SessionConfig.builder().set("SESSION_TYPE", "jdbc"), table())
                .set(JdbcSettings.URL, DATABASE.url() + (DATABASE.url().contains("?") ? "&" : "?") + "ApplicationName=" + application)
                .set(JdbcSettings.CREATE_TABLE, "false").set(JdbcSettings.POOL_SIZE, 3)
                .set(JdbcSettings.CLEANUP_INTERVAL, "PT0.05S").build();
        assertThrows(SessionBackendException.class, () -> new JdbcSessionBackendProvider().create(config));
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(thread -> thread.getName().equals("sessionkit-jdbc-cleanup-" + table())),
                "a clean-up thread was started for a store that failed to start");
        // The server notices closed connections asynchronously: wait a little for them to go.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String open = "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?";
        while (DATABASE.count(open, application) > 0) {
            assertTrue(System.nanoTime() < deadline, "the pool opened for the failed start-up still holds connections");
            Thread.sleep(50);
        }
    }
}
