package io.sessionkit.jdbc;

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
}
