-- SessionKit JDBC store, SQLite 3.35 or later: adds the principal column (the session's logged-in
-- user, SESSION_PRINCIPAL_KEY) and its index to a session table created before them, which has the
-- columns id, data, expires_at, version, lock_token and lock_until. A table of SessionKit 0.1
-- (without version) first needs upgrade-add-version-sqlite.sql. Start-up runs both when
-- SESSION_JDBC_CREATE_TABLE is true; otherwise run them yourself, in that order, before starting
-- the new release.
-- Replace {{table}} with the table name (optionally qualified by an attached database,
-- e.g. app.sessions), {{table_name}} with its unqualified name (e.g. sessions) and
-- {{schema_prefix}} with the qualifier and a dot (e.g. "app.") or with nothing.
-- SQLite has no ADD COLUMN IF NOT EXISTS: when the column is already there the first statement
-- fails harmlessly, run the second.
-- Existing rows get no principal; they load and save as before.
ALTER TABLE {{table}} ADD COLUMN principal TEXT;
CREATE INDEX IF NOT EXISTS {{schema_prefix}}{{table_name}}_principal ON {{table_name}} (principal);
