package io.sessionkit.jdbc;

import io.sessionkit.spi.KeyCursor;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.ListedPage;
import io.sessionkit.spi.SessionListing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code jdbc} store's {@link SessionListing}: one statement per call, on the primary key.
 *
 * <ul>
 *   <li>{@link #count}: {@code SELECT COUNT(*) ... WHERE id >= prefix AND id LIKE 'prefix%'
 *       AND expires_at > now}.</li>
 *   <li>{@link #list}: keyset pagination, {@code SELECT id, data, expires_at ... WHERE id > last
 *       AND id LIKE 'prefix%' AND expires_at > now ORDER BY id LIMIT n + 1} (the first page
 *       {@code id >= prefix}). The extra row only says whether a next page exists, so the last page
 *       has no cursor; a page never costs more than its own rows, however deep the walk.</li>
 * </ul>
 *
 * <p>The prefix is matched literally: its {@code %} and {@code _} are escaped ({@code GLOB}
 * wildcards on SQLite, whose {@code LIKE} ignores case). The lower bound on {@code id} lets the
 * index skip to the prefix in any collation, since a text never sorts before its own prefix.
 * Locks are columns of the session's row and the principal a column too, so every row is a
 * session and nothing else is counted. The cursor is a {@link KeyCursor} after the last id listed;
 * anything else, or a cursor of another prefix, is refused. Thread-safe; failures are
 * thrown as {@link io.sessionkit.SessionBackendException}.
 */
final class JdbcSessionListing implements SessionListing {

    private static final KeyCursor CURSORS = new KeyCursor("jdbc1.", JdbcSessionBackendProvider.TYPE);

    private final SessionTable table;
    private final Clock clock;

    JdbcSessionListing(SessionTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public long count(String keyPrefix) {
        return table.run("count sessions", connection -> {
            try (PreparedStatement statement = table.prepare(connection, table.statements().countByPrefix())) {
                statement.setString(1, keyPrefix);
                statement.setString(2, table.dialect().prefixPattern(keyPrefix));
                statement.setLong(3, clock.millis());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    @Override
    public ListedPage list(String keyPrefix, String cursor, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit was " + limit + " but it must be positive");
        }
        String after = cursor == null ? null : CURSORS.lastKey(cursor, keyPrefix);
        SessionStatements sql = table.statements();
        return table.run("list sessions", connection -> {
            try (PreparedStatement statement = table.prepare(connection, after == null ? sql.listFirstPage() : sql.listNextPage())) {
                statement.setString(1, after == null ? keyPrefix : after);
                statement.setString(2, table.dialect().prefixPattern(keyPrefix));
                statement.setLong(3, clock.millis());
                statement.setInt(4, Math.min(limit, Integer.MAX_VALUE - 1) + 1);
                List<ListedEntry> entries = new ArrayList<>();
                boolean more = false;
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        if (entries.size() == limit) {
                            more = true;
                            break;
                        }
                        entries.add(new ListedEntry(rows.getString(1), rows.getBytes(2), Instant.ofEpochMilli(rows.getLong(3))));
                    }
                }
                return new ListedPage(entries, more ? CURSORS.after(keyPrefix, entries.get(entries.size() - 1).key()) : null);
            }
        });
    }

    @Override
    public String toString() {
        return "JdbcSessionListing[" + table.dialect().displayName() + ", table=" + table.name() + "]";
    }
}
