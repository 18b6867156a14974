package io.sessionkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.spi.VersionedEntry;
import io.sessionkit.testsupport.Race;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sessionkit.jdbc.JdbcStoreBehaviour.bytes;
import static io.sessionkit.jdbc.JdbcStoreBehaviour.runAll;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The jdbc store's {@link ConditionalWrites} (the {@code version} column) and
 * {@link SessionLocks} (the {@code lock_token} and {@code lock_until} columns) on one database,
 * beyond what the contract kit checks on every store: rows, clocks and races as this store has
 * them, the upgrade of a table of the first layout, and the statements a request costs through
 * the engine. Run as {@link JdbcStoreBehaviour.Concurrency}, on the fixture of the database's
 * {@link JdbcStoreBehaviour} subclass; the engine's concurrent requests run in the
 * {@code *ContractTest} classes.
 */
abstract class JdbcConcurrencyChecks {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final String KEY = "session:versioned";

    private final JdbcStoreBehaviour store;
    private final List<SessionInterface> engines = new ArrayList<>();

    JdbcConcurrencyChecks(JdbcStoreBehaviour store) {
        this.store = store;
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(SessionInterface::close);
    }

    private ConditionalWrites writes(JdbcSessionBackend backend) {
        return backend.capability(ConditionalWrites.class).orElseThrow();
    }

    private SessionLocks locks(JdbcSessionBackend backend) {
        return backend.capability(SessionLocks.class).orElseThrow();
    }

    private long version(ConditionalWrites writes, String key) {
        return writes.loadVersioned(key).version();
    }

    @Test
    @DisplayName("create writes only where no live row is, and refuses a second create")
    void createTwiceRefused() {
        ConditionalWrites writes = writes(store.backend());
        assertNull(writes.loadVersioned(KEY));
        assertTrue(writes.create(KEY, bytes("first"), HOUR));
        assertFalse(writes.create(KEY, bytes("second"), HOUR), "a live row was overwritten by create");
        VersionedEntry entry = writes.loadVersioned(KEY);
        assertArrayEquals(bytes("first"), entry.value());
        assertEquals(1, store.rows(KEY));
    }

    @Test
    @DisplayName("create over an expired row succeeds, with a new version and the stale lock cleared")
    void createOverExpiredRow() {
        JdbcSessionBackend backend = store.backend();
        ConditionalWrites writes = writes(backend);
        assertTrue(writes.create(KEY, bytes("old"), Duration.ofMinutes(1)));
        long oldVersion = version(writes, KEY);
        assertTrue(locks(backend).tryLock(KEY, "old-holder", HOUR));
        store.clock.advance(Duration.ofMinutes(1));
        assertEquals(1, store.rows(KEY), "the expired row should still be in the table");
        assertTrue(writes.create(KEY, bytes("new"), HOUR));
        VersionedEntry entry = writes.loadVersioned(KEY);
        assertArrayEquals(bytes("new"), entry.value());
        assertNotEquals(oldVersion, entry.version(), "a writer of the expired row could overwrite the new one");
        assertFalse(writes.replace(KEY, oldVersion, bytes("stale"), HOUR));
        assertTrue(locks(backend).tryLock(KEY, "new-holder", HOUR), "the expired session's lock still holds the new one");
    }

    @Test
    @DisplayName("replace with a stale version is refused; each replace and each blind save gives a new version")
    void staleVersionRefused() {
        JdbcSessionBackend backend = store.backend();
        ConditionalWrites writes = writes(backend);
        writes.create(KEY, bytes("v1"), HOUR);
        long first = version(writes, KEY);
        assertTrue(writes.replace(KEY, first, bytes("v2"), HOUR));
        long second = version(writes, KEY);
        assertNotEquals(first, second);
        assertFalse(writes.replace(KEY, first, bytes("lost"), HOUR), "a stale version replaced the row");
        assertFalse(writes.delete(KEY, first), "a stale version deleted the row");
        backend.save(KEY, bytes("blind"), HOUR);
        assertNotEquals(second, version(writes, KEY), "a blind save kept the version");
        assertFalse(writes.replace(KEY, second, bytes("lost"), HOUR), "the version read before a blind save still matched");
        assertArrayEquals(bytes("blind"), backend.load(KEY));
    }

    @Test
    @DisplayName("replace and delete of a deleted or expired row are refused and bring nothing back")
    void deletedOrExpiredRowNotReplaced() {
        JdbcSessionBackend backend = store.backend();
        ConditionalWrites writes = writes(backend);
        writes.create(KEY, bytes("gone soon"), HOUR);
        long version = version(writes, KEY);
        assertTrue(writes.delete(KEY, version));
        assertEquals(0, store.rows(KEY));
        assertFalse(writes.replace(KEY, version, bytes("resurrected"), HOUR));
        assertFalse(writes.delete(KEY, version));
        assertEquals(0, store.rows(KEY), "a replace of a deleted row wrote one");

        writes.create(KEY, bytes("expiring"), Duration.ofMinutes(1));
        long expiring = version(writes, KEY);
        store.clock.advance(Duration.ofMinutes(1));
        assertFalse(writes.replace(KEY, expiring, bytes("revived"), HOUR));
        assertFalse(writes.delete(KEY, expiring));
        assertNull(writes.loadVersioned(KEY));
        assertNull(writes.loadVersionedAndTouch(KEY, HOUR), "loading expired rows must not revive them");
        assertNull(backend.load(KEY));
    }

    @Test
    @DisplayName("a touch, a read that touches and a lock leave the version alone")
    void touchKeepsTheVersion() {
        JdbcSessionBackend backend = store.backend();
        ConditionalWrites writes = writes(backend);
        writes.create(KEY, bytes("payload"), Duration.ofMinutes(10));
        long version = version(writes, KEY);
        store.clock.advance(Duration.ofMinutes(5));
        VersionedEntry touched = writes.loadVersionedAndTouch(KEY, Duration.ofMinutes(10));
        assertArrayEquals(bytes("payload"), touched.value());
        assertEquals(version, touched.version());
        backend.touch(KEY, Duration.ofMinutes(10));
        backend.capability(TouchingLoad.class).ifPresent(touching ->
                assertArrayEquals(bytes("payload"), touching.loadAndTouch(KEY, Duration.ofMinutes(10))));
        assertTrue(locks(backend).tryLock(KEY, "holder", HOUR));
        locks(backend).unlock(KEY, "holder");
        assertEquals(version, version(writes, KEY));
        store.clock.advance(Duration.ofMinutes(9));
        assertNotNull(writes.loadVersioned(KEY), "the touch did not extend the expiry");
        assertTrue(writes.replace(KEY, version, bytes("changed"), HOUR), "the version read before the touch no longer matches");
    }

    @Test
    @DisplayName("eight threads replacing one row with the same version: exactly one wins, round after round")
    void racingReplacesHaveOneWinner() throws Exception {
        JdbcSessionBackend backend = store.backend();
        ConditionalWrites writes = writes(backend);
        writes.create(KEY, bytes("start"), HOUR);
        for (int round = 0; round < 25; round++) {
            long expected = version(writes, KEY);
            String value = "round " + round + " by ";
            assertEquals(1, Race.winners(8, i -> () -> writes.replace(KEY, expected, bytes(value + i), HOUR)), "round " + round);
        }
        assertTrue(new String(backend.load(KEY)).startsWith("round 24 by "));
    }

    @Test
    @DisplayName("eight threads creating one new key at once, or one over an expired row: exactly one wins")
    void racingCreatesHaveOneWinner() throws Exception {
        ConditionalWrites writes = writes(store.backend());
        for (String value : new String[] {"new", "over the expired row"}) {
            for (int k = 0; k < 15; k++) {
                String key = "session:new-" + k;
                assertEquals(1, Race.winners(8, i -> () -> writes.create(key, bytes(value), HOUR)), value + " " + key);
            }
            store.clock.advance(HOUR);
        }
    }

    @Test
    @DisplayName("a lock is exclusive, and only its token releases it")
    void lockExclusiveAndOnlyItsTokenUnlocks() {
        JdbcSessionBackend backend = store.backend();
        writes(backend).create(KEY, bytes("x"), HOUR);
        SessionLocks locks = locks(backend);
        assertTrue(locks.tryLock(KEY, "first", HOUR));
        assertFalse(locks.tryLock(KEY, "second", HOUR));
        assertFalse(locks.tryLock(KEY, "first", HOUR), "the lock is not re-entrant: a second take by its holder is refused");
        locks.unlock(KEY, "second");
        assertFalse(locks.tryLock(KEY, "third", HOUR), "a wrong token released the lock");
        locks.unlock(KEY, "first");
        assertTrue(locks.tryLock(KEY, "second", HOUR));
    }

    @Test
    @DisplayName("a lock whose lease ran out is taken over, and its old holder cannot release the new one")
    void expiredLeaseTakenOver() {
        JdbcSessionBackend backend = store.backend();
        writes(backend).create(KEY, bytes("x"), HOUR);
        SessionLocks locks = locks(backend);
        assertTrue(locks.tryLock(KEY, "crashed", Duration.ofSeconds(30)));
        store.clock.advance(Duration.ofSeconds(29));
        assertFalse(locks.tryLock(KEY, "waiting", Duration.ofSeconds(30)));
        store.clock.advance(Duration.ofSeconds(1));
        assertTrue(locks.tryLock(KEY, "waiting", Duration.ofSeconds(30)));
        locks.unlock(KEY, "crashed");
        assertFalse(locks.tryLock(KEY, "third", Duration.ofSeconds(30)), "the old holder released its successor's lock");
    }

    @Test
    @DisplayName("a lock on a session that is not stored, or has expired, is granted: there is nothing to protect")
    void lockOnMissingOrExpiredRowGranted() {
        JdbcSessionBackend backend = store.backend();
        SessionLocks locks = locks(backend);
        assertTrue(locks.tryLock("session:absent", "a", HOUR));
        writes(backend).create(KEY, bytes("x"), Duration.ofMinutes(1));
        assertTrue(locks.tryLock(KEY, "a", HOUR));
        store.clock.advance(Duration.ofMinutes(1));
        assertTrue(locks.tryLock(KEY, "b", HOUR));
        assertEquals(1, store.rows(KEY), "a lock must not write a row");
    }

    @Test
    @DisplayName("eight threads racing for one lock, free or lapsed: exactly one takes it, round after round")
    void racingLocksHaveOneWinner() throws Exception {
        JdbcSessionBackend backend = store.backend();
        writes(backend).create(KEY, bytes("x"), Duration.ofDays(1));
        SessionLocks locks = locks(backend);
        for (int round = 0; round < 25; round++) {
            String tokens = "round-" + round + "-";
            AtomicInteger winner = new AtomicInteger();
            assertEquals(1, Race.winners(8, i -> () -> {
                boolean won = locks.tryLock(KEY, tokens + i, Duration.ofMinutes(1));
                if (won) {
                    winner.set(i);
                }
                return won;
            }), "round " + round);
            if (round % 2 == 0) {
                locks.unlock(KEY, tokens + winner.get()); // the next round's lock is free
            } else {
                store.clock.advance(Duration.ofMinutes(1)); // the next round's lock has lapsed
            }
        }
    }

    // ---- a table of the first layout ---------------------------------------------------------------

    /** Creates the test's table as SessionKit 0.1 did, with one row written the way it wrote them. */
    private void firstLayoutTable() throws Exception {
        SessionTableSchema schema = new SessionTableSchema(store.expectedDialect(), TableName.parse(store.table()));
        execute(schema.statements("first-layout/" + store.expectedDialect().schemaResource()));
        store.database().insertRows(store.table(), "session:old-", 1, store.clock.millis() + HOUR.toMillis());
    }

    private void execute(List<String> statements) throws Exception {
        try (Connection connection = store.database().connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Test
    @DisplayName("a table of the first layout gets its new columns at start-up; its rows load and are replaced")
    void firstLayoutUpgradedAtStartUp() throws Exception {
        firstLayoutTable();
        JdbcSessionBackend backend = store.backend();
        ConditionalWrites writes = writes(backend);
        assertArrayEquals(new byte[] {1, 2, 3}, backend.load("session:old-0"));
        VersionedEntry old = writes.loadVersionedAndTouch("session:old-0", HOUR);
        assertEquals(0, old.version(), "a row written before the version column reads as version 0");
        assertTrue(locks(backend).tryLock("session:old-0", "holder", HOUR));
        assertTrue(writes.replace("session:old-0", old.version(), bytes("new layout"), HOUR));
        assertNotEquals(0, version(writes, "session:old-0"));
        assertFalse(locks(backend).tryLock("session:old-0", "other", HOUR), "the lock did not survive the save");
        assertTrue(writes.create(KEY, bytes("fresh"), HOUR));
        store.backend().close();
        assertArrayEquals(bytes("new layout"), store.backend().load("session:old-0"), "a restart on the upgraded table lost data");
    }

    @Test
    @DisplayName("several nodes starting at once on a table of the first layout all upgrade it without error")
    void firstLayoutUpgradedByManyNodesAtOnce() throws Exception {
        firstLayoutTable();
        List<Callable<Void>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(() -> {
                writes(store.backend()).loadVersioned("session:old-0");
                return null;
            });
        }
        runAll(starts);
        assertEquals(0, version(writes(store.backend()), "session:old-0"));
    }

    @Test
    @DisplayName("with SESSION_JDBC_CREATE_TABLE=false a table of the first layout fails start-up naming the file to run")
    void firstLayoutWithoutCreateTableNamesTheUpgradeFile() throws Exception {
        firstLayoutTable();
        SessionBackendException error = assertThrows(SessionBackendException.class,
                () -> store.backend(Map.of(JdbcSettings.CREATE_TABLE, "false")));
        String message = error.getMessage();
        assertTrue(message.contains("'" + store.table() + "' lacks the columns version, lock_token and lock_until"), message);
        assertTrue(message.contains("io/sessionkit/jdbc/" + store.expectedDialect().upgradeResource()), message);
        assertTrue(message.contains("SESSION_JDBC_CREATE_TABLE=true"), message);
        assertThrows(Exception.class, () -> execute(List.of("SELECT version FROM " + store.table())),
                "start-up changed the table although SESSION_JDBC_CREATE_TABLE is false");

        // What the operator does: run the shipped file with the table's name filled in.
        SessionTableSchema schema = new SessionTableSchema(store.expectedDialect(), TableName.parse(store.table()));
        assertTrue(message.contains(", then io/sessionkit/jdbc/" + store.expectedDialect().principalUpgradeResource()), message);
        execute(schema.upgradeStatements());
        execute(schema.principalUpgradeStatements());
        JdbcSessionBackend backend = store.backend(Map.of(JdbcSettings.CREATE_TABLE, "false"));
        assertEquals(0, version(writes(backend), "session:old-0"));
    }

    // ---- through the engine: what a request costs; the contract's ConcurrentRequests runs the rest --

    private static String storedSession(SessionInterface engine) {
        Session session = engine.open(null);
        session.put("user", "ada");
        assertNotNull(engine.save(session).setCookieHeader());
        return session.id();
    }

    @Test
    @DisplayName("statements per request: a read one, a modifying one, and both with SESSION_LOCKING")
    void statementsPerRequest() {
        // MariaDB and MySQL have no UPDATE ... RETURNING: a read and an extension are two statements, so a
        // read-only request reads, then extends; a modifying one reads and saves, and the save sets the expiry.
        int readAndTouch = store.expectedDialect() == SqlDialect.MARIADB ? 2 : 1;
        try (HikariDataSource pool = store.database().applicationPool(true)) {
            StatementCountingDataSource counting = new StatementCountingDataSource(pool);
            for (boolean locking : new boolean[] {false, true}) {
                SessionInterface engine = SessionInterface.create(store.handedIn(counting.dataSource())
                        .set(JdbcSettings.CLEANUP_INTERVAL, "off").set("SESSION_LOCKING", String.valueOf(locking)).build());
                engines.add(engine);
                String id = storedSession(engine);
                int lock = locking ? 2 : 0;
                assertEquals(List.of(), counting.during(() -> engine.save(engine.open(id))), "a request that never used its session");
                List<String> read = counting.during(() -> {
                    Session session = engine.open(id);
                    assertEquals("ada", session.get("user"));
                    engine.save(session);
                });
                assertEquals(readAndTouch + lock, read.size(), "locking=" + locking + ", a read-only request: " + read);
                List<String> modify = counting.during(() -> {
                    Session session = engine.open(id);
                    session.put("cart", 3);
                    engine.save(session);
                });
                assertEquals(2 + lock, modify.size(), "locking=" + locking + ", a modifying request: " + modify);
            }
        }
    }
}
