package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.PostgresServerProcess;
import io.sessionkit.testsupport.StoreServerProcess;

/**
 * {@link FrozenDatabaseServletTest} on a private PostgreSQL cluster: the postmaster and every
 * backend process are frozen.
 */
class PostgresFrozenServletTest extends FrozenDatabaseServletTest {

    @Override
    StoreServerProcess startDatabase() {
        return PostgresServerProcess.start();
    }

    @Override
    SessionConfig.Builder connectTo(StoreServerProcess database) {
        return SessionConfig.builder().set(JdbcSettings.URL, ((PostgresServerProcess) database).url())
                .set(JdbcSettings.USER, "postgres");
    }
}
