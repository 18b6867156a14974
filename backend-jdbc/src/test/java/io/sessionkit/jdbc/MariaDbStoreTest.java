package io.sessionkit.jdbc;

/** The jdbc store's own behaviour on MariaDB. */
class MariaDbStoreTest extends JdbcStoreBehaviour {

    private static final TestDatabase DATABASE = TestDatabase.mariadb();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String table() {
        return "sk_store_mariadb";
    }

    @Override
    protected SqlDialect expectedDialect() {
        return SqlDialect.MARIADB;
    }
}
