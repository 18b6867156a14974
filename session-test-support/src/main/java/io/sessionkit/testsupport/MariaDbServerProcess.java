package io.sessionkit.testsupport;

import java.time.Duration;
import java.util.List;

/**
 * A MariaDB server of the caller's own: a new data directory ({@code mariadb-install-db}) in a
 * fresh temporary directory, served on a free port at 127.0.0.1, that can be stopped, suspended
 * and started again on the same data. The machine's own MariaDB is never touched.
 *
 * <p>{@code root} logs in from 127.0.0.1 without a password; the database {@code test} exists.
 * The server runs as the current user ({@code --user} names it, which MariaDB requires of root).
 */
public final class MariaDbServerProcess extends StoreServerProcess {

    private static final String INSTALL = "apt-get install -y mariadb-server";

    private MariaDbServerProcess(ServerProcess process) {
        super(process);
    }

    /**
     * Creates the data directory and starts the server.
     *
     * @return the running server, accepting connections from 127.0.0.1 as {@code root} without a password
     * @throws IllegalStateException saying what is missing, or with the server's log when it cannot start
     */
    public static MariaDbServerProcess start() {
        ExternalProgram installDb = ExternalProgram.find("mariadb-install-db", INSTALL);
        ExternalProgram server = ExternalProgram.find("mariadbd", INSTALL);
        String user = System.getProperty("user.name");
        int port = FreePort.onLoopback();
        return new MariaDbServerProcess(ServerProcess.builder("mariadbd", port)
                .prepare(directory -> installDb.run(directory, Duration.ofSeconds(60), List.of(
                        "--no-defaults", "--user=" + user, "--datadir=" + directory.resolve("data"),
                        // root without a password on every local address, TCP included
                        "--auth-root-authentication-method=normal")))
                .command(directory -> server.commandLine(List.of(
                        "--no-defaults", "--user=" + user, "--datadir=" + directory.resolve("data"),
                        "--socket=" + directory.resolve("mysqld.sock"), "--pid-file=" + directory.resolve("mysqld.pid"),
                        "--port=" + port, "--bind-address=127.0.0.1",
                        // accounts are matched by address, so no resolver can slow a connection down
                        "--skip-name-resolve",
                        // small and quick: test data only
                        "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0")))
                // the port opens only once InnoDB is up and the server takes connections
                .readiness(ServerProcess.ReadinessCheck.portAccepts())
                .startTimeout(Duration.ofSeconds(60))
                .stopSignal("TERM", Duration.ofSeconds(30))
                .start());
    }

    /**
     * @return a JDBC URL for the server's {@code test} database, for the MariaDB driver
     */
    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/test";
    }

    /**
     * @return the user that logs in without a password, {@code root}
     */
    public String user() {
        return "root";
    }
}
