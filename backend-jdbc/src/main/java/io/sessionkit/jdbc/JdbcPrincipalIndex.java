package io.sessionkit.jdbc;

import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.PrincipalIndex;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code jdbc} store's {@link PrincipalIndex}: the session row's own {@code principal} column,
 * with a database index on it.
 *
 * <ul>
 *   <li>{@link #assign}: {@code UPDATE ... SET principal = ? WHERE id = ? AND expires_at > now};
 *       the principal before is not needed, and an absent or expired row is left alone.</li>
 *   <li>{@link #entriesOf}: {@code SELECT id, data, expires_at, principal ... WHERE principal = ?
 *       AND expires_at > now}, through the index.</li>
 * </ul>
 *
 * <p>The principal lives and dies with the row: deleting the session or letting it expire takes
 * it out of the index, and extending the expiry needs no call of {@link #assign}
 * ({@link #keptInEntry()}). The writes of {@code data} keep a live row's principal and clear an
 * expired row's, so a session created over a dead one's row never inherits its user. Thread-safe;
 * failures are thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class JdbcPrincipalIndex implements PrincipalIndex {

    private final SessionTable table;
    private final Clock clock;

    JdbcPrincipalIndex(SessionTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void assign(String key, String previous, String principal, Duration timeToLive) {
        table.run("assign principal", connection -> {
            try (PreparedStatement statement = table.prepare(connection, table.statements().assignPrincipal())) {
                statement.setString(1, principal);
                statement.setString(2, key);
                statement.setLong(3, clock.millis());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public List<ListedEntry> entriesOf(String principal) {
        return table.run("list the sessions of a principal", connection -> {
            try (PreparedStatement statement = table.prepare(connection, table.statements().entriesOfPrincipal())) {
                statement.setString(1, principal);
                statement.setLong(2, clock.millis());
                List<ListedEntry> entries = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        // MariaDB's and MySQL's PAD SPACE collations find "bob" equal to "bob ": only
                        // the exact principal counts.
                        if (principal.equals(rows.getString(4))) {
                            entries.add(new ListedEntry(rows.getString(1), rows.getBytes(2),
                                    Instant.ofEpochMilli(rows.getLong(3))));
                        }
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public boolean keptInEntry() {
        return true;
    }

    @Override
    public String toString() {
        return "JdbcPrincipalIndex[" + table.dialect().displayName() + ", table=" + table.name() + "]";
    }
}
