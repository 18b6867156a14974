package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.SessionBackendContract;

/** The backend contract on an in-memory H2 database. */
class H2ContractTest extends SessionBackendContract {

    private static final TestDatabase DATABASE = TestDatabase.h2("contract");

    @Override
    protected String type() {
        return "jdbc";
    }

    @Override
    protected void configure(SessionConfig.Builder config) {
        DATABASE.configure(config, "sk_contract_h2");
    }
}
