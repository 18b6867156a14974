package io.sessionkit.jdbc;

/**
 * The SQL of every operation, rendered once for one dialect and table. Parameters, in order:
 * <ul>
 *   <li>{@code load} and {@code loadEntry}: id, now</li>
 *   <li>{@code upsert}: id, data, expires_at, now</li>
 *   <li>{@code insert}: id, data, expires_at, id</li>
 *   <li>{@code createUnlessLive}: id, data, expires_at, now</li>
 *   <li>{@code replaceExpired}: data, expires_at, id, now</li>
 *   <li>{@code replace}: data, expires_at, id, expected version, now</li>
 *   <li>{@code touch} and {@code touchReturningEntry}: new expires_at, id, now</li>
 *   <li>{@code delete}: id</li>
 *   <li>{@code deleteVersion}: id, expected version, now</li>
 *   <li>{@code deleteExpiredBatch} and {@code selectExpiredBatch}: now, batch size</li>
 *   <li>{@code deleteExpiredRow}: id, now</li>
 *   <li>{@code lock}: token, lock_until, id, now, now</li>
 *   <li>{@code unlock}: id, token</li>
 *   <li>{@code assignPrincipal}: principal (or {@code null}), id, now</li>
 *   <li>{@code entriesOfPrincipal}: principal, now</li>
 *   <li>{@code countByPrefix} and {@code listFirstPage}: prefix, prefix pattern, now (and the list's row limit)</li>
 *   <li>{@code listNextPage}: last id listed, prefix pattern, now, row limit</li>
 * </ul>
 * Times are epoch milliseconds; a row is live while {@code expires_at > now}. Every statement
 * that writes {@code data} also changes {@code version} in the same statement; nothing else does.
 * Only {@code assignPrincipal} sets {@code principal}; the writes of {@code data} keep a live row's
 * and clear an expired row's.
 *
 * @param load                reads a live row's data
 * @param loadEntry           reads a live row's data, version and expires_at
 * @param upsert              inserts or replaces a row in one atomic statement, with a new version;
 *                            keeps a live row's principal and clears an expired row's
 * @param createUnlessLive    inserts a row or replaces an expired one, leaving a live one alone;
 *                            {@code null} when the dialect has no such statement, and then
 *                            {@code insert} and {@code replaceExpired} do it
 * @param insert              inserts a row unless its id is taken (id, data, expires_at, id); only an
 *                            insert of the same id racing it can still fail on the duplicate
 * @param replaceExpired      replaces an expired row with a new one, clearing its lock and principal
 * @param replace             replaces a live row only if its version is the expected one
 * @param touch               extends a live row's expiry
 * @param touchReturningEntry extends a live row's expiry and yields its data and version;
 *                            {@code null} when the dialect has no such statement
 * @param delete              removes a row
 * @param deleteVersion       removes a live row only if its version is the expected one
 * @param deleteExpiredBatch  removes at most a batch of expired rows
 * @param selectExpiredBatch  yields the ids of at most a batch of expired rows
 * @param deleteExpiredRow    removes a row if it is still expired
 * @param lock                takes a live row's lock if it is free or its lease ran out
 * @param isLive              yields a row when there is a live one
 * @param unlock              frees a row's lock if the token still holds it
 * @param checkTable          fails unless the table exists with every column
 * @param checkFirstLayout    fails unless the table has the columns of the first layout (id,
 *                            data and expires_at), which {@link SqlDialect#upgradeResource()}
 *                            brings up to date
 * @param assignPrincipal     sets a live row's principal
 * @param entriesOfPrincipal  yields the id, data, expires_at and principal of a principal's live
 *                            rows, through the index on {@code principal}
 * @param countByPrefix       counts the live rows whose id starts with a prefix
 * @param listFirstPage       yields the id, data and expires_at of the first live rows whose id
 *                            starts with a prefix, in id order
 * @param listNextPage        the same, after the last id listed: keyset pagination on the primary key
 * @param checkSecondLayout   fails unless the table has the columns of the layout before
 *                            {@code principal}, which {@link SqlDialect#principalUpgradeResource()}
 *                            brings up to date
 */
record SessionStatements(String load, String loadEntry, String upsert, String createUnlessLive, String insert,
                         String replaceExpired, String replace, String touch, String touchReturningEntry, String delete,
                         String deleteVersion, String deleteExpiredBatch, String selectExpiredBatch,
                         String deleteExpiredRow, String lock, String isLive, String unlock,
                         String checkTable, String checkFirstLayout, String assignPrincipal,
                         String entriesOfPrincipal, String countByPrefix, String listFirstPage, String listNextPage,
                         String checkSecondLayout) {

    static SessionStatements of(SqlDialect dialect, TableName table) {
        String name = table.qualified();
        String live = " WHERE id = ? AND expires_at > ?";
        String ofPrefix = " AND " + dialect.idStartsWith() + " AND expires_at > ?";
        return new SessionStatements(
                "SELECT data FROM " + name + live,
                "SELECT data, version, expires_at FROM " + name + live,
                render(dialect.upsert(), name),
                dialect.createUnlessLive() == null ? null : render(dialect.createUnlessLive(), name),
                // Not a plain INSERT: MariaDB Connector/J logs every error at WARN, and "Duplicate entry"
                // quotes the key, which holds the session id.
                "INSERT INTO " + name + " (id, data, expires_at, version) SELECT ?, ?, ?, 1 FROM DUAL"
                        + " WHERE NOT EXISTS (SELECT 1 FROM " + name + " WHERE id = ?)",
                "UPDATE " + name + " SET data = ?, expires_at = ?, version = version + 1, lock_token = NULL, lock_until = NULL, principal = NULL"
                        + " WHERE id = ? AND expires_at <= ?",
                "UPDATE " + name + " SET data = ?, expires_at = ?, version = version + 1 WHERE id = ? AND version = ?"
                        + " AND expires_at > ?",
                "UPDATE " + name + " SET expires_at = ?" + live,
                dialect.touchReturningEntry() == null ? null : render(dialect.touchReturningEntry(), name),
                "DELETE FROM " + name + " WHERE id = ?",
                "DELETE FROM " + name + " WHERE id = ? AND version = ? AND expires_at > ?",
                render(dialect.deleteExpiredBatch(), name),
                "SELECT id FROM " + name + " WHERE expires_at <= ? LIMIT ?",
                "DELETE FROM " + name + " WHERE id = ? AND expires_at <= ?",
                "UPDATE " + name + " SET lock_token = ?, lock_until = ?" + live + " AND (lock_until IS NULL OR lock_until <= ?)",
                "SELECT 1 FROM " + name + live,
                "UPDATE " + name + " SET lock_token = NULL, lock_until = NULL WHERE id = ? AND lock_token = ?",
                "SELECT id, data, expires_at, version, lock_token, lock_until, principal FROM " + name + " WHERE 1 = 0",
                "SELECT id, data, expires_at FROM " + name + " WHERE 1 = 0",
                "UPDATE " + name + " SET principal = ?" + live,
                "SELECT id, data, expires_at, principal FROM " + name + " WHERE principal = ? AND expires_at > ?",
                // The lower bound lets the primary key's index skip to the prefix; the pattern decides.
                "SELECT COUNT(*) FROM " + name + " WHERE id >= ?" + ofPrefix,
                "SELECT id, data, expires_at FROM " + name + " WHERE id >= ?" + ofPrefix + " ORDER BY id LIMIT ?",
                "SELECT id, data, expires_at FROM " + name + " WHERE id > ?" + ofPrefix + " ORDER BY id LIMIT ?",
                "SELECT id, data, expires_at, version, lock_token, lock_until FROM " + name + " WHERE 1 = 0");
    }

    private static String render(String template, String table) {
        return template.replace("{{table}}", table);
    }
}
