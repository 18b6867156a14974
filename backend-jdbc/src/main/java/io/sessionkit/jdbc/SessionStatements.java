package io.sessionkit.jdbc;

/**
 * The SQL of every operation, rendered once for one dialect and table. Parameters, in order:
 * <ul>
 *   <li>{@code load}: id, now</li>
 *   <li>{@code upsert}: id, data, expires_at</li>
 *   <li>{@code touch} and {@code touchReturningData}: new expires_at, id, now</li>
 *   <li>{@code delete}: id</li>
 *   <li>{@code deleteExpiredBatch}: now, batch size</li>
 * </ul>
 * Times are epoch milliseconds; a row is live while {@code expires_at > now}.
 *
 * @param load               reads a live row's data
 * @param upsert             inserts or replaces a row in one atomic statement
 * @param touch              extends a live row's expiry
 * @param delete             removes a row
 * @param deleteExpiredBatch removes at most a batch of expired rows
 * @param touchReturningData extends a live row's expiry and yields its data; {@code null} when
 *                           the dialect has no such statement
 * @param checkTable         fails unless the table exists with the expected columns
 */
record SessionStatements(String load, String upsert, String touch, String delete, String deleteExpiredBatch,
                         String touchReturningData, String checkTable) {

    static SessionStatements of(SqlDialect dialect, TableName table) {
        String name = table.qualified();
        return new SessionStatements(
                "SELECT data FROM " + name + " WHERE id = ? AND expires_at > ?",
                render(dialect.upsert(), name),
                "UPDATE " + name + " SET expires_at = ? WHERE id = ? AND expires_at > ?",
                "DELETE FROM " + name + " WHERE id = ?",
                render(dialect.deleteExpiredBatch(), name),
                dialect.touchReturningData() == null ? null : render(dialect.touchReturningData(), name),
                "SELECT id, data, expires_at FROM " + name + " WHERE 1 = 0");
    }

    private static String render(String template, String table) {
        return template.replace("{{table}}", table);
    }
}
