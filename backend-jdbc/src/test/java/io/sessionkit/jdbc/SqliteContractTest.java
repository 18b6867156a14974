package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The backend contract on a SQLite database file. */
class SqliteContractTest extends SessionBackendContract {

    @TempDir
    static Path directory;
    private static TestDatabase database;

    @BeforeAll
    static void createDatabaseFile() {
        database = TestDatabase.sqlite(directory.resolve("sessions.db"));
    }

    @Override
    protected String type() {
        return "jdbc";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        database.configure(config, "sk_contract_sqlite");
    }
}
