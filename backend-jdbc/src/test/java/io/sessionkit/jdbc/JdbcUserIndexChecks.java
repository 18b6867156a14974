package io.sessionkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionkit.Session;
import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.VersionedEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.sessionkit.jdbc.JdbcStoreBehaviour.bytes;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The jdbc store's {@link PrincipalIndex} (the indexed {@code principal} column) and
 * {@link SessionListing} (keyset pages on the primary key) on one database, beyond what the
 * contract kit checks on every store: the column's index in the catalogue, the upgrade of tables
 * created before the column, a new row never inheriting an expired row's principal, prefixes
 * holding {@code LIKE} and {@code GLOB} wildcards, and the statements each operation costs. Run as
 * {@link JdbcStoreBehaviour.UserIndex}, on the fixture of the database's
 * {@link JdbcStoreBehaviour} subclass.
 */
abstract class JdbcUserIndexChecks {

    private static final Duration HOUR = Duration.ofHours(1);

    private final JdbcStoreBehaviour store;
    private final List<SessionInterface> engines = new ArrayList<>();

    JdbcUserIndexChecks(JdbcStoreBehaviour store) {
        this.store = store;
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(SessionInterface::close);
    }

    private static PrincipalIndex index(JdbcSessionBackend backend) {
        return backend.capability(PrincipalIndex.class).orElseThrow();
    }

    private static SessionListing listing(JdbcSessionBackend backend) {
        return backend.capability(SessionListing.class).orElseThrow();
    }

    private static Set<String> keysOf(PrincipalIndex index, String principal) {
        Set<String> keys = new HashSet<>();
        index.entriesOf(principal).forEach(entry -> keys.add(entry.key()));
        return keys;
    }

    private static Set<String> walk(SessionListing listing, String prefix, int limit) {
        Set<String> keys = new HashSet<>();
        String cursor = null;
        do {
            ListedPage page = listing.list(prefix, cursor, limit);
            page.entries().forEach(entry -> assertTrue(keys.add(entry.key()), "listed twice: " + entry.key()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return keys;
    }

    private long rowsWithoutPrincipal(String key) {
        return store.database().count("SELECT COUNT(*) FROM " + store.table() + " WHERE id = ? AND principal IS NULL", key);
    }

    private void execute(List<String> statements) throws Exception {
        try (Connection connection = store.database().connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private SessionTableSchema schema() {
        return new SessionTableSchema(store.expectedDialect(), TableName.parse(store.table()));
    }

    /** Creates the test's table as the given earlier layout had it, with one row written the way it wrote them. */
    private void earlierTable(String layout) throws Exception {
        execute(schema().statements(layout + "/" + store.expectedDialect().schemaResource()));
        store.database().insertRows(store.table(), "session:old-", 1, store.clock.millis() + HOUR.toMillis());
    }

    /** The columns of the test's table that lead an index, in lower case, as the database's catalogue lists them. */
    private Set<String> indexedColumns() throws Exception {
        Set<String> columns = new HashSet<>();
        try (Connection connection = store.database().connect()) {
            DatabaseMetaData meta = connection.getMetaData();
            String table = meta.storesUpperCaseIdentifiers() ? store.table().toUpperCase(Locale.ROOT) : store.table();
            String catalog = store.expectedDialect() == SqlDialect.MARIADB ? connection.getCatalog() : null;
            try (ResultSet indexes = meta.getIndexInfo(catalog, null, table, false, false)) {
                while (indexes.next()) {
                    if (indexes.getShort("ORDINAL_POSITION") == 1 && indexes.getString("COLUMN_NAME") != null) {
                        columns.add(indexes.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return columns;
    }

    // ---- the column and its index --------------------------------------------------------------

    @Test
    @DisplayName("a new table has the principal column with an index on it, as the catalogue lists")
    void newTableHasThePrincipalIndex() throws Exception {
        store.backend();
        Set<String> indexed = indexedColumns();
        assertTrue(indexed.contains("principal"), "indexed columns: " + indexed);
        assertTrue(indexed.contains("expires_at"), "indexed columns: " + indexed);
    }

    @Test
    @DisplayName("principals of 256 characters, outside the BMP too, and ones differing only by a trailing space are kept apart")
    void longAndPaddedPrincipals() {
        JdbcSessionBackend backend = store.backend();
        PrincipalIndex index = index(backend);
        String emoji = "\uD83D\uDE00".repeat(128);
        String accented = "\u00e4".repeat(256);
        Map<String, String> principals = Map.of("session:e", emoji, "session:a", accented, "session:b", "bob",
                "session:b2", "bob ", "session:B", "Bob");
        principals.forEach((key, principal) -> {
            backend.save(key, bytes(key), HOUR);
            index.assign(key, null, principal, HOUR);
        });
        principals.forEach((key, principal) -> assertEquals(Set.of(key), keysOf(index, principal), principal));
    }

    @Test
    @DisplayName("assign leaves an absent or expired row alone: it creates no row and revives none")
    void assignNeedsALiveRow() {
        JdbcSessionBackend backend = store.backend();
        PrincipalIndex index = index(backend);
        index.assign("session:absent", null, "alice", HOUR);
        assertEquals(0, store.rows("session:absent"));
        backend.save("session:expiring", bytes("x"), Duration.ofMinutes(1));
        store.clock.advance(Duration.ofMinutes(2));
        index.assign("session:expiring", null, "alice", HOUR);
        assertEquals(1, rowsWithoutPrincipal("session:expiring"));
        assertNull(backend.load("session:expiring"));
        assertEquals(Set.of(), keysOf(index, "alice"));
    }

    // ---- a new session never inherits a dead one's principal ----------------------------------

    @Test
    @DisplayName("a create over an expired row of another principal leaves the new row without a principal")
    void createOverExpiredRowDoesNotInherit() {
        JdbcSessionBackend backend = store.backend();
        PrincipalIndex index = index(backend);
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        backend.save("session:reused", bytes("alice's"), HOUR);
        index.assign("session:reused", null, "alice", HOUR);
        store.clock.advance(HOUR.plusMinutes(1));
        assertEquals(1, store.rows("session:reused"), "the expired row is still there, not yet cleaned up");
        assertTrue(writes.create("session:reused", bytes("new"), HOUR));
        assertEquals(Set.of(), keysOf(index, "alice"));
        assertEquals(1, rowsWithoutPrincipal("session:reused"));
    }

    @Test
    @DisplayName("a plain save over an expired row of another principal leaves the new row without a principal")
    void saveOverExpiredRowDoesNotInherit() {
        JdbcSessionBackend backend = store.backend();
        PrincipalIndex index = index(backend);
        backend.save("session:reused", bytes("alice's"), HOUR);
        index.assign("session:reused", null, "alice", HOUR);
        store.clock.advance(HOUR.plusMinutes(1));
        backend.save("session:reused", bytes("new"), HOUR);
        assertEquals(Set.of(), keysOf(index, "alice"));
        assertEquals(1, rowsWithoutPrincipal("session:reused"));
    }

    @Test
    @DisplayName("saves, touches, conditional replaces and locks of a live row keep its principal")
    void liveWritesKeepThePrincipal() {
        JdbcSessionBackend backend = store.backend();
        PrincipalIndex index = index(backend);
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        backend.save("session:kept", bytes("v1"), HOUR);
        index.assign("session:kept", null, "alice", HOUR);
        store.clock.advance(Duration.ofMinutes(50));
        backend.save("session:kept", bytes("v2"), HOUR);
        backend.touch("session:kept", HOUR);
        VersionedEntry read = writes.loadVersionedAndTouch("session:kept", HOUR);
        assertTrue(writes.replace("session:kept", read.version(), bytes("v3"), HOUR));
        assertFalse(writes.create("session:kept", bytes("not written"), HOUR));
        backend.capability(io.sessionkit.spi.SessionLocks.class).orElseThrow().tryLock("session:kept", "t", HOUR);
        store.clock.advance(Duration.ofMinutes(50));
        List<ListedEntry> entries = index.entriesOf("alice");
        assertEquals(1, entries.size());
        assertArrayEquals(bytes("v3"), entries.get(0).value());
        assertEquals(store.clock.instant().plus(Duration.ofMinutes(10)), entries.get(0).expiresAt());
    }

    // ---- tables created before the principal column -------------------------------------------

    @Test
    @DisplayName("a table of the layout before the principal column gets it and its index at start-up; its rows keep working")
    void secondLayoutUpgradedAtStartUp() throws Exception {
        earlierTable("second-layout");
        assertFalse(indexedColumns().contains("principal"));
        JdbcSessionBackend backend = store.backend();
        assertTrue(indexedColumns().contains("principal"), "indexed columns: " + indexedColumns());
        assertArrayEquals(new byte[] {1, 2, 3}, backend.load("session:old-0"));
        index(backend).assign("session:old-0", null, "alice", HOUR);
        assertEquals(Set.of("session:old-0"), keysOf(index(backend), "alice"));
        ConditionalWrites writes = backend.capability(ConditionalWrites.class).orElseThrow();
        VersionedEntry old = writes.loadVersioned("session:old-0");
        assertTrue(writes.replace("session:old-0", old.version(), bytes("new layout"), HOUR));
        assertEquals(Set.of("session:old-0"), listing(backend).list("session:", null, 10).entries().stream()
                .map(ListedEntry::key).collect(java.util.stream.Collectors.toSet()));
        backend.close();
        JdbcSessionBackend restarted = store.backend();
        assertArrayEquals(bytes("new layout"), restarted.load("session:old-0"), "a restart on the upgraded table lost data");
        assertEquals(Set.of("session:old-0"), keysOf(index(restarted), "alice"));
    }

    @Test
    @DisplayName("a table of the first layout gets the version columns, then the principal column and its index")
    void firstLayoutGetsThePrincipalToo() throws Exception {
        earlierTable("first-layout");
        JdbcSessionBackend backend = store.backend();
        assertTrue(indexedColumns().contains("principal"), "indexed columns: " + indexedColumns());
        index(backend).assign("session:old-0", null, "alice", HOUR);
        assertEquals(Set.of("session:old-0"), keysOf(index(backend), "alice"));
        assertEquals(1, listing(backend).count("session:"));
    }

    @Test
    @DisplayName("with SESSION_JDBC_CREATE_TABLE=false a table without principal fails start-up naming the principal file only")
    void secondLayoutWithoutCreateTableNamesThePrincipalFile() throws Exception {
        earlierTable("second-layout");
        SessionBackendException error = assertThrows(SessionBackendException.class,
                () -> store.backend(Map.of(JdbcSettings.CREATE_TABLE, "false")));
        String message = error.getMessage();
        assertTrue(message.contains("'" + store.table() + "' lacks the columns principal ("), message);
        assertTrue(message.contains("io/sessionkit/jdbc/" + store.expectedDialect().principalUpgradeResource()), message);
        assertFalse(message.contains(store.expectedDialect().upgradeResource()), message);
        assertTrue(message.contains("SESSION_JDBC_CREATE_TABLE=true"), message);
        assertThrows(Exception.class, () -> execute(List.of("SELECT principal FROM " + store.table())),
                "start-up changed the table although SESSION_JDBC_CREATE_TABLE is false");

        // What the operator does: run the shipped file with the table's name filled in.
        execute(schema().principalUpgradeStatements());
        assertTrue(indexedColumns().contains("principal"), "indexed columns: " + indexedColumns());
        JdbcSessionBackend backend = store.backend(Map.of(JdbcSettings.CREATE_TABLE, "false"));
        assertArrayEquals(new byte[] {1, 2, 3}, backend.load("session:old-0"));
    }

    @Test
    @DisplayName("several nodes starting at once on a table without principal all upgrade it without error")
    void secondLayoutUpgradedByManyNodesAtOnce() throws Exception {
        earlierTable("second-layout");
        List<java.util.concurrent.Callable<Void>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(() -> {
                index(store.backend()).entriesOf("alice");
                return null;
            });
        }
        JdbcStoreBehaviour.runAll(starts);
        assertTrue(indexedColumns().contains("principal"), "indexed columns: " + indexedColumns());
    }

    /** The messages {@link SessionTableSchema} logs at WARNING or above while {@code work} runs. */
    private static List<String> warningsDuring(Runnable work) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(SessionTableSchema.class.getName());
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            work.run();
        } finally {
            logger.removeHandler(handler);
        }
        return warnings;
    }

    @Test
    @DisplayName("a table with the principal column but no index on it gets the index at start-up, or a warning that names the file")
    void principalColumnWithoutIndex() throws Exception {
        earlierTable("second-layout");
        execute(List.of("ALTER TABLE " + store.table() + " ADD COLUMN principal VARCHAR(256)"));
        List<String> withoutCreate = warningsDuring(() -> store.backend(Map.of(JdbcSettings.CREATE_TABLE, "false")));
        assertFalse(indexedColumns().contains("principal"), "SESSION_JDBC_CREATE_TABLE=false changed the table");
        assertEquals(1, withoutCreate.size(), "warnings: " + withoutCreate);
        assertTrue(withoutCreate.get(0).contains("has the column principal but no index on it"), withoutCreate.get(0));
        assertTrue(withoutCreate.get(0).contains(store.expectedDialect().principalUpgradeResource()), withoutCreate.get(0));

        List<String> withCreate = warningsDuring(() -> store.backend());
        if (store.expectedDialect() == SqlDialect.MARIADB) {
            // Its upgrade file is one ALTER TABLE, which fails on the existing column: nothing to re-run.
            assertEquals(1, withCreate.size(), "warnings: " + withCreate);
        } else {
            assertEquals(List.of(), withCreate);
            assertTrue(indexedColumns().contains("principal"), "indexed columns: " + indexedColumns());
            assertEquals(List.of(), warningsDuring(() -> store.backend()), "a restart with the index warns no more");
        }
        assertArrayEquals(new byte[] {1, 2, 3}, store.backend().load("session:old-0"));
    }

    // ---- listing -----------------------------------------------------------------------------

    @Test
    @DisplayName("prefixes holding LIKE and GLOB wildcards, or differing in case, match only themselves")
    void wildcardsInThePrefixAreLiteral() {
        JdbcSessionBackend backend = store.backend();
        SessionListing listing = listing(backend);
        List<String> prefixes = List.of("t_%:", "tx%:", "tab:", "t*?[:", "tXY:", "T_%:", "t!%:", "t!x:");
        for (String prefix : prefixes) {
            backend.save(prefix + "one", bytes(prefix), HOUR);
            backend.save(prefix + "two", bytes(prefix), HOUR);
        }
        for (String prefix : prefixes) {
            assertEquals(2, listing.count(prefix), prefix);
            assertEquals(Set.of(prefix + "one", prefix + "two"), walk(listing, prefix, 1), prefix);
        }
        assertEquals(0, listing.count("t_b"), "no key starts with t_b, although tab: matches the pattern t_b");
        assertEquals(Set.of(), walk(listing, "%", 5));
    }

    @Test
    @DisplayName("through the engine, SESSION_KEY_PREFIX=t_%: counts and lists its own sessions, not those of tab: or tx%:")
    void engineWithWildcardPrefix() {
        Map<String, Set<String>> idsByPrefix = new java.util.HashMap<>();
        Map<String, SessionInterface> enginesByPrefix = new java.util.HashMap<>();
        for (String prefix : List.of("t_%:", "tab:", "tx%:")) {
            SessionInterface engine = SessionInterface.create(store.config().set("SESSION_KEY_PREFIX", prefix).build());
            engines.add(engine);
            enginesByPrefix.put(prefix, engine);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Session session = engine.open(null);
                session.put("n", i);
                engine.save(session);
                ids.add(session.id());
            }
            idsByPrefix.put(prefix, ids);
        }
        SessionInterface wildcard = enginesByPrefix.get("t_%:");
        assertEquals(3, wildcard.count());
        Set<String> listed = new HashSet<>();
        String cursor = null;
        do {
            var page = wildcard.list(cursor, 2);
            page.sessions().forEach(summary -> listed.add(summary.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(idsByPrefix.get("t_%:"), listed);
    }

    @Test
    @DisplayName("a page of exactly the rows left has no next cursor, and a row deleted between pages does not stop the walk")
    void keysetPages() {
        JdbcSessionBackend backend = store.backend();
        SessionListing listing = listing(backend);
        for (int i = 0; i < 6; i++) {
            backend.save("session:k" + i, bytes("v" + i), HOUR);
        }
        ListedPage first = listing.list("session:", null, 3);
        assertEquals(List.of("session:k0", "session:k1", "session:k2"),
                first.entries().stream().map(ListedEntry::key).toList());
        assertNotNull(first.nextCursor());
        backend.delete("session:k2");
        backend.delete("session:k3");
        ListedPage second = listing.list("session:", first.nextCursor(), 3);
        assertEquals(List.of("session:k4", "session:k5"), second.entries().stream().map(ListedEntry::key).toList());
        assertNull(second.nextCursor());
        assertNull(listing.list("session:", null, 4).nextCursor(), "four rows left, a page of four: the last page");
    }

    @Test
    @DisplayName("cursors that are not this backend's, or are of another prefix, are refused with IllegalArgumentException")
    void foreignCursorsRefused() {
        JdbcSessionBackend backend = store.backend();
        SessionListing listing = listing(backend);
        backend.save("session:a", bytes("a"), HOUR);
        backend.save("session:b", bytes("b"), HOUR);
        String cursor = listing.list("session:", null, 1).nextCursor();
        assertNotNull(cursor);
        String otherPrefix = new io.sessionkit.spi.KeyCursor("jdbc1.", "jdbc").after("other:", "other:a");
        for (String foreign : List.of("", "0", "jdbc1.", "jdbc1.***", "jdbc2." + cursor.substring(6), otherPrefix,
                cursor + "=", "redis:" + cursor)) {
            assertThrows(IllegalArgumentException.class, () -> listing.list("session:", foreign, 5), foreign);
        }
        assertEquals(List.of("session:b"), listing.list("session:", cursor, 5).entries().stream().map(ListedEntry::key).toList());
    }

    // ---- what each operation costs --------------------------------------------------------------

    @Test
    @DisplayName("assign, entriesOf, count and a page of list are one statement each")
    void oneStatementEach() {
        try (HikariDataSource pool = store.database().applicationPool(true)) {
            StatementCountingDataSource counting = new StatementCountingDataSource(pool);
            JdbcSessionBackend backend = store.track((JdbcSessionBackend) new JdbcSessionBackendProvider().create(
                    store.handedIn(counting.dataSource()).set(JdbcSettings.CLEANUP_INTERVAL, "off").build()));
            for (int i = 0; i < 5; i++) {
                backend.save("session:c" + i, bytes("v"), HOUR);
            }
            PrincipalIndex index = index(backend);
            SessionListing listing = listing(backend);
            assertEquals(1, counting.during(() -> index.assign("session:c0", null, "alice", HOUR)).size());
            assertEquals(1, counting.during(() -> index.assign("session:c1", null, "alice", HOUR)).size());
            assertEquals(1, counting.during(() -> assertEquals(2, index.entriesOf("alice").size())).size());
            assertEquals(1, counting.during(() -> assertEquals(5, listing.count("session:"))).size());
            assertEquals(1, counting.during(() -> assertEquals(2, listing.list("session:", null, 2).entries().size())).size());
        }
    }
}
