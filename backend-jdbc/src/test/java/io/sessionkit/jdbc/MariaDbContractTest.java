package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract on MariaDB on the machine (or SESSION_TEST_MARIADB_URL). */
class MariaDbContractTest extends SessionBackendContract {

    private static final TestDatabase DATABASE = TestDatabase.mariadb();
    private static final String TABLE = "sk_contract_mariadb";

    @BeforeAll
    static void freshTable() {
        DATABASE.requireReachable();
        DATABASE.dropTable(TABLE);
    }

    @Override
    protected String type() {
        return "jdbc";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        DATABASE.configure(config, TABLE);
    }
}
