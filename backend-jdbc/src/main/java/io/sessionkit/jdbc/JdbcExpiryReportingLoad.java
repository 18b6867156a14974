package io.sessionkit.jdbc;

import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.VersionedEntry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;

/**
 * Reads on the {@code jdbc} store that report the expiry: the {@code SELECT} of a live row that
 * {@link JdbcConditionalWrites#loadVersioned} runs, whose {@code expires_at} it also returns.
 * One statement, no write. Thread-safe.
 */
final class JdbcExpiryReportingLoad implements ExpiryReportingLoad {

    private final SessionTable table;
    private final Clock clock;

    JdbcExpiryReportingLoad(SessionTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public VersionedEntry loadWithExpiry(String key) {
        return table.run("load", connection -> {
            try (PreparedStatement statement = table.prepare(connection, table.statements().loadEntry())) {
                statement.setString(1, key);
                statement.setLong(2, clock.millis());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next()
                            ? new VersionedEntry(rows.getBytes(1), rows.getLong(2), Instant.ofEpochMilli(rows.getLong(3)))
                            : null;
                }
            }
        });
    }
}
