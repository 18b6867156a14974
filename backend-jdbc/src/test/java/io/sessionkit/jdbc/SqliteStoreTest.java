package io.sessionkit.jdbc;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The jdbc store's own behaviour on a SQLite database file. */
class SqliteStoreTest extends JdbcStoreBehaviour {

    @TempDir
    static Path directory;
    private static TestDatabase database;

    @BeforeAll
    static void createDatabaseFile() {
        database = TestDatabase.sqlite(directory.resolve("sessions.db"));
    }

    @Override
    protected TestDatabase database() {
        return database;
    }

    @Override
    protected String table() {
        return "sk_store_sqlite";
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.SQLITE;
    }
}
