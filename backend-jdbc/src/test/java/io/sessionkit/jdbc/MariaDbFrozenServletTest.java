package io.sessionkit.jdbc;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.MariaDbServerProcess;
import io.sessionkit.testsupport.StoreServerProcess;

/**
 * {@link FrozenDatabaseServletTest} on a private MariaDB server (never the machine's own on 3306).
 */
class MariaDbFrozenServletTest extends FrozenDatabaseServletTest {

    @Override
    StoreServerProcess startDatabase() {
        return MariaDbServerProcess.start();
    }

    @Override
    SessionConfig.Builder connectTo(StoreServerProcess database) {
        MariaDbServerProcess mariadb = (MariaDbServerProcess) database;
        return SessionConfig.builder().set(JdbcSettings.URL, mariadb.url()).set(JdbcSettings.USER, mariadb.user());
    }
}
