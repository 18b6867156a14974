package io.sessionkit.jdbc;

/** The jdbc store's own behaviour on an in-memory H2 database. */
class H2StoreTest extends JdbcStoreBehaviour {

    private static final TestDatabase DATABASE = TestDatabase.h2("store");

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String table() {
        return "sk_store_h2";
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.H2;
    }
}
