-- The session table as SessionKit 0.1 created it, before the columns version, lock_token and
-- lock_until: the starting point of the upgrade tests. Do not change it.
-- SessionKit JDBC store, SQLite 3.35 or later (for UPDATE ... RETURNING).
-- Replace {{table}} with the table name (optionally qualified by an attached database,
-- e.g. app.sessions), {{table_name}} with its unqualified name (e.g. sessions) and
-- {{schema_prefix}} with the qualifier and a dot (e.g. "app.") or with nothing.
-- expires_at is the expiry instant in milliseconds since 1970-01-01T00:00:00Z.
CREATE TABLE IF NOT EXISTS {{table}} (
    id         TEXT    NOT NULL PRIMARY KEY,
    data       BLOB    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS {{schema_prefix}}{{table_name}}_expires_at ON {{table_name}} (expires_at);
