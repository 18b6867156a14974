package io.sessionkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConfigException;
import io.sessionkit.core.SaveResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the jdbc store promises beyond the backend contract, checked on each database by a
 * subclass: atomic upserts, expiry enforced by the SELECT, the clean-up of expired rows (also
 * from several nodes at once), table creation and a DataSource handed in; and, in
 * {@link Concurrency}, conditional writes, session locks, the upgrade of a table of the first
 * layout, and concurrent requests through the engine; in {@link UserIndex}, the principal column,
 * its upgrade and the listing of sessions.
 */
abstract class JdbcStoreBehaviour {

    private static final Duration HOUR = Duration.ofHours(1);

    protected final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<SessionBackend> opened = new ArrayList<>();

    /** @return the database under test */
    protected abstract TestDatabase database();

    /** @return the table this test class owns */
    protected abstract String table();

    /** @return the dialect the store must detect */
    protected abstract SqlDialect expectedDialect();

    @BeforeEach
    void freshTable() {
        database().requireReachable();
        database().dropTable(table());
    }

    @AfterEach
    void closeBackends() {
        opened.forEach(SessionBackend::close);
    }

    /** A configuration on this test's table, with the test's clock and the background clean-up off. */
    protected SessionConfig.Builder config() {
        SessionConfig.Builder config = SessionConfig.builder().set("SESSION_TYPE", "jdbc").clock(clock);
        return database().configure(config, table()).set(JdbcSettings.CLEANUP_INTERVAL, "off");
    }

    /** A backend on this test's table with the background clean-up off, plus any other keys. */
    protected JdbcSessionBackend backend(Map<String, ?> settings) {
        return track((JdbcSessionBackend) new JdbcSessionBackendProvider().create(config().fromMap(settings).build()));
    }

    /** A configuration on this test's table with the application's own pool handed in. */
    SessionConfig.Builder handedIn(javax.sql.DataSource application) {
        return SessionConfig.builder().set("SESSION_TYPE", "jdbc").clock(clock).set(JdbcSettings.TABLE, table()).client(application);
    }

    protected JdbcSessionBackend backend() {
        return backend(Map.of());
    }

    JdbcSessionBackend track(JdbcSessionBackend backend) {
        opened.add(backend);
        return backend;
    }

    /** Deletes expired rows through the capability the backend hands out, as an application would. */
    private static int deleteExpired(SessionBackend backend) {
        return backend.capability(ExpiredSessionCleanup.class).orElseThrow().deleteExpired();
    }

    long rows(String id) {
        return database().count("SELECT COUNT(*) FROM " + table() + " WHERE id = ?", id);
    }

    private long expiredRows() {
        return database().count("SELECT COUNT(*) FROM " + table() + " WHERE expires_at <= ?", clock.millis());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("a user's sessions and the listing of sessions")
    class UserIndex extends JdbcUserIndexChecks {
        UserIndex() {
            super(JdbcStoreBehaviour.this);
        }
    }

    @Nested
    @DisplayName("conditional writes, session locks and concurrent requests")
    class Concurrency extends JdbcConcurrencyChecks {
        Concurrency() {
            super(JdbcStoreBehaviour.this);
        }
    }

    @Test
    @DisplayName("the database is recognised from its product name")
    void dialectDetected() {
        assertEquals(expectedDialect(), backend().dialect());
    }

    @Test
    @DisplayName("a read that extends the expiry is offered where it is one statement: not on MariaDB")
    void touchingLoadOnlyWhereOneStatement() {
        JdbcSessionBackend backend = backend();
        assertEquals(expectedDialect() != SqlDialect.MARIADB, backend.capability(TouchingLoad.class).isPresent());
        assertEquals(backend.statements().touchReturningEntry() != null, backend.capability(TouchingLoad.class).isPresent());
    }

    @Test
    @DisplayName("a save is one upsert statement, never a select followed by an insert")
    void upsertIsOneStatement() {
        String upsert = backend().statements().upsert();
        assertFalse(upsert.contains(";"), upsert);
        assertTrue(upsert.startsWith("INSERT INTO " + table()) || upsert.startsWith("MERGE INTO " + table()), upsert);
        assertFalse(upsert.toUpperCase().contains("SELECT"), upsert);
    }

    @Test
    @DisplayName("many threads saving one new key at the same instant never fail with a duplicate key")
    void concurrentFirstSavesOfOneKeyNeverCollide() throws Exception {
        JdbcSessionBackend backend = backend();
        int threads = 8;
        int keys = 15;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            byte[] value = bytes("written by thread " + t);
            tasks.add(() -> {
                for (int k = 0; k < keys; k++) {
                    start.await(30, TimeUnit.SECONDS);
                    backend.save("first-save-" + k, value, HOUR);
                }
                return null;
            });
        }
        runAll(tasks);
        for (int k = 0; k < keys; k++) {
            String seen = new String(backend.load("first-save-" + k), StandardCharsets.UTF_8);
            assertTrue(seen.startsWith("written by thread "), seen);
            assertEquals(1, rows("first-save-" + k));
        }
    }

    @Test
    @DisplayName("an expired row is never returned, touched or revived, although it is still in the table")
    void expiredRowsNeverReturnedBeforeCleanup() {
        JdbcSessionBackend backend = backend();
        backend.save("expiring", bytes("x"), Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, rows("expiring"), "the row should still be there: nothing has cleaned up yet");
        assertNull(backend.load("expiring"), "a row whose expires_at is now must not be returned");
        assertNull(backend.capability(ConditionalWrites.class).orElseThrow().loadVersionedAndTouch("expiring", HOUR));
        backend.touch("expiring", HOUR);
        assertNull(backend.load("expiring"), "touch revived an expired row");
        assertEquals(1, deleteExpired(backend));
        assertEquals(0, rows("expiring"));
    }

    @Test
    @DisplayName("ids that differ only in letter case are different sessions (case-sensitive id column)")
    void idsAreCaseSensitive() {
        JdbcSessionBackend backend = backend();
        backend.save("session:AbC", bytes("upper"), HOUR);
        backend.save("session:abc", bytes("lower"), HOUR);
        assertArrayEquals(bytes("upper"), backend.load("session:AbC"));
        assertArrayEquals(bytes("lower"), backend.load("session:abc"));
    }

    @Test
    @DisplayName("asked to, the clean-up tells the id of each row it deleted, once, in batches too")
    void deleteExpiredReportsTheDeletedIds() {
        JdbcSessionBackend backend = backend();
        ExpiredSessionCleanup cleanup = backend.capability(ExpiredSessionCleanup.class).orElseThrow();
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        backend.capability(io.sessionkit.spi.ExpiryNotifications.class).orElseThrow().reportExpiredTo(told::add);
        int expired = JdbcExpiredSessionCleanup.BATCH_SIZE + 3;
        database().insertRows(table(), "old-", expired, clock.millis());
        database().insertRows(table(), "live-", 20, clock.millis() + 1);
        assertEquals(expired, cleanup.deleteExpired());
        assertEquals(expired, told.size());
        assertEquals(expired, new java.util.HashSet<>(told).size(), "each id told once");
        assertTrue(told.stream().allMatch(id -> id.startsWith("old-")), "only expired rows");
        assertEquals(0, expiredRows());
        assertEquals(20, database().count("SELECT COUNT(*) FROM " + table()));
        told.clear();
        assertEquals(0, cleanup.deleteExpired());
        assertEquals(java.util.List.of(), told);
    }

    @Test
    @DisplayName("deleteExpired deletes every expired row in batches and keeps the live ones")
    void deleteExpiredKeepsLiveRows() {
        JdbcSessionBackend backend = backend();
        int expired = JdbcExpiredSessionCleanup.BATCH_SIZE * 2 + 7;
        database().insertRows(table(), "old-", expired, clock.millis());
        database().insertRows(table(), "live-", 50, clock.millis() + 1);
        assertEquals(expired, deleteExpired(backend));
        assertEquals(0, expiredRows());
        assertEquals(50, database().count("SELECT COUNT(*) FROM " + table()));
        assertEquals(0, deleteExpired(backend));
    }

    @Test
    @DisplayName("several nodes cleaning up at once, while sessions are saved, all finish without errors")
    void concurrentCleanupFromSeveralNodes() throws Exception {
        int expired = 6000;
        int live = 200;
        List<JdbcSessionBackend> nodes = List.of(backend(), backend(), backend());
        database().insertRows(table(), "old-", expired, clock.millis() - 1);
        database().insertRows(table(), "live-", live, clock.millis() + HOUR.toMillis());
        AtomicBoolean cleaning = new AtomicBoolean(true);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (JdbcSessionBackend node : nodes) {
            for (int t = 0; t < 2; t++) {
                tasks.add(() -> {
                    deleteExpired(node);
                    return null;
                });
            }
        }
        for (int w = 0; w < 2; w++) {
            JdbcSessionBackend writer = nodes.get(w);
            int offset = w;
            tasks.add(() -> {
                // Rewrites live rows and adds new ones while the clean-up runs: the mix that deadlocks naive deletes.
                for (int i = offset; cleaning.get() || i < 100; i += 2) {
                    writer.save("live-" + (i % live), bytes("rewritten"), HOUR);
                    writer.save("new-" + i, bytes("new"), HOUR);
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> results = new ArrayList<>();
            tasks.forEach(task -> results.add(pool.submit(task)));
            for (int i = 0; i < nodes.size() * 2; i++) {
                results.get(i).get(2, TimeUnit.MINUTES);
            }
            cleaning.set(false);
            for (Future<Void> result : results) {
                result.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, expiredRows(), "expired rows left after every node finished its clean-up");
        assertEquals(live, database().count("SELECT COUNT(*) FROM " + table() + " WHERE id LIKE 'live-%'"));
        assertArrayEquals(bytes("rewritten"), nodes.get(0).load("live-0"));
        assertNotNull(nodes.get(2).load("new-0"));
    }

    @Test
    @DisplayName("the background clean-up deletes expired rows, and its thread ends with close")
    void periodicCleanupDeletesExpiredRows() throws InterruptedException {
        JdbcSessionBackend backend = backend(Map.of(JdbcSettings.CLEANUP_INTERVAL, "PT0.05S"));
        backend.save("short-lived", bytes("x"), Duration.ofSeconds(1));
        backend.save("long-lived", bytes("y"), HOUR);
        clock.advance(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rows("short-lived") > 0) {
            assertTrue(System.nanoTime() < deadline, "the background clean-up did not delete the expired row");
            Thread.sleep(20);
        }
        assertEquals(1, rows("long-lived"));
        String threadName = "sessionkit-jdbc-cleanup-" + table();
        assertTrue(cleanupThreadAlive(threadName), "no clean-up thread named " + threadName);
        backend.close();
        assertFalse(cleanupThreadAlive(threadName), "the clean-up thread outlived close()");
    }

    private static boolean cleanupThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(name) && thread.isAlive() && thread.isDaemon());
    }

    @Test
    @DisplayName("creating the table is idempotent, also when several nodes start at once")
    void tableCreationIdempotent() throws Exception {
        List<Callable<Void>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(() -> {
                backend();
                return null;
            });
        }
        runAll(starts);
        JdbcSessionBackend backend = backend();
        backend.save("kept", bytes("kept"), HOUR);
        try (Connection connection = database().connect(); Statement statement = connection.createStatement()) {
            for (String ddl : new SessionTableSchema(expectedDialect(), TableName.parse(table())).statements()) {
                statement.execute(ddl);
            }
        }
        assertArrayEquals(bytes("kept"), backend().load("kept"), "running the DDL again lost data");
    }

    @Test
    @DisplayName("with SESSION_JDBC_CREATE_TABLE=false a missing table is an error that says what to do")
    void missingTableWithoutCreateTableIsClearError() {
        SessionBackendException error = assertThrows(SessionBackendException.class,
                () -> backend(Map.of(JdbcSettings.CREATE_TABLE, "false")));
        assertTrue(error.getMessage().contains("'" + table() + "'"), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_JDBC_CREATE_TABLE"), error.getMessage());
        assertTrue(error.getMessage().contains(expectedDialect().schemaResource()), error.getMessage());
        assertEquals(0, opened.size(), "no backend should have been created");
    }

    @Test
    @DisplayName("with SESSION_JDBC_CREATE_TABLE=false an existing table is used as is")
    void existingTableUsedWithoutCreateTable() {
        backend().close();
        JdbcSessionBackend backend = backend(Map.of(JdbcSettings.CREATE_TABLE, "false"));
        backend.save("k", bytes("v"), HOUR);
        assertArrayEquals(bytes("v"), backend.load("k"));
    }

    @Test
    @DisplayName("a DataSource handed in is used, and left open by close")
    void handedInDataSourceUsedAndNotClosed() throws Exception {
        try (HikariDataSource application = database().applicationPool(true)) {
            SessionConfig config = handedIn(application).set(JdbcSettings.CLEANUP_INTERVAL, "off").build();
            JdbcSessionBackend backend = (JdbcSessionBackend) new JdbcSessionBackendProvider().create(config);
            backend.save("k", bytes("through the application's pool"), HOUR);
            assertArrayEquals(bytes("through the application's pool"), backend.load("k"));
            backend.close();
            assertFalse(application.isClosed(), "close() closed the application's DataSource");
            try (Connection connection = application.getConnection()) {
                assertTrue(connection.isValid(5));
            }
            assertEquals(1, rows("k"));
        }
    }

    @Test
    @DisplayName("a handed-in DataSource whose connections do not auto-commit still gets every write committed")
    void handedInDataSourceWithoutAutoCommit() throws Exception {
        try (HikariDataSource application = database().applicationPool(false)) {
            SessionConfig config = handedIn(application).set(JdbcSettings.CLEANUP_INTERVAL, "off").build();
            try (JdbcSessionBackend backend = (JdbcSessionBackend) new JdbcSessionBackendProvider().create(config)) {
                backend.save("k", bytes("committed"), HOUR);
                backend.save("gone", bytes("x"), HOUR);
                backend.delete("gone");
            }
            assertEquals(1, rows("k"), "the save was not committed");
            assertEquals(0, rows("gone"), "the delete was not committed");
            try (Connection connection = application.getConnection()) {
                assertFalse(connection.getAutoCommit(), "the application's connection came back with auto-commit changed");
            }
        }
    }

    @Test
    @DisplayName("after close, operations fail with SessionBackendException")
    void operationsAfterCloseFail() {
        JdbcSessionBackend backend = backend();
        backend.close();
        SessionBackendException error = assertThrows(SessionBackendException.class, () -> backend.load("k"));
        assertEquals("load", error.operation());
        assertEquals("jdbc", error.backendType());
    }

    @Test
    @DisplayName("the engine hands out the clean-up capability, and it deletes the expired sessions only")
    void engineHandsOutCleanupThatDeletesOnlyExpiredSessions() {
        try (SessionInterface sessions = SessionInterface.create(config().build())) {
            String older = storeSession(sessions, "older");
            clock.advance(Duration.ofDays(20));
            String newer = storeSession(sessions, "newer");
            // 35 days after the first save: past the default lifetime of 31 days for it, 15 days old for the other.
            clock.advance(Duration.ofDays(15));
            assertEquals(2, database().count("SELECT COUNT(*) FROM " + table()), "both rows should still be there");

            ExpiredSessionCleanup cleanup = sessions.capability(ExpiredSessionCleanup.class).orElseThrow();
            assertEquals(1, cleanup.deleteExpired());
            assertEquals(0, rows("session:" + older), "the expired session's row is still there");
            assertEquals(1, rows("session:" + newer), "the live session's row was deleted");
            assertEquals("newer", sessions.open(newer).get("who"));
            assertEquals(0, cleanup.deleteExpired());
        }
    }

    /** Saves a new session through the engine and returns its id, which is also its cookie value. */
    private static String storeSession(SessionInterface sessions, String who) {
        Session session = sessions.open(null);
        session.put("who", who);
        SaveResult result = sessions.save(session);
        String header = result.setCookieHeader();
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    @Test
    @DisplayName("with a DataSource handed in, every key that applies is read, so none is reported as unknown")
    void everyApplyingKeyReadWithHandedInDataSource() throws Exception {
        try (HikariDataSource application = database().applicationPool(true)) {
            SessionConfig config = handedIn(application).set(JdbcSettings.CREATE_TABLE, "true")
                    .set(JdbcSettings.CLEANUP_INTERVAL, "off").set(JdbcSettings.TIMEOUT, "PT2S").build();
            try (SessionInterface sessions = SessionInterface.create(config)) {
                assertTrue(sessions.capability(ExpiredSessionCleanup.class).isPresent());
            }
            assertEquals(Map.of(), config.unreadKeys());
        }
    }

    @Test
    @DisplayName("a connection key set beside a handed-in DataSource fails start-up naming both")
    void connectionKeyBesideHandedInDataSourceIsAnError() throws Exception {
        try (HikariDataSource application = database().applicationPool(true)) {
            SessionConfig config = handedIn(application).set(JdbcSettings.USER, "someone").build();
            SessionConfigException error = assertThrows(SessionConfigException.class,
                    () -> new JdbcSessionBackendProvider().create(config));
            assertTrue(error.getMessage().contains("SESSION_JDBC_USER is set but a com.zaxxer.hikari.HikariDataSource"
                    + " was also handed in from code"), error.getMessage());
            assertFalse(application.isClosed(), "a failed start-up closed the application's DataSource");
        }
    }

    static void runAll(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> results = pool.invokeAll(tasks, 2, TimeUnit.MINUTES);
            Set<Throwable> failures = new HashSet<>();
            for (Future<Void> result : results) {
                assertFalse(result.isCancelled(), "a thread did not finish within 2 minutes");
                try {
                    result.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " threads failed; first: " + failures.iterator().next());
                failures.forEach(error::addSuppressed);
                throw error;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
