-- SessionKit JDBC store, PostgreSQL 9.6 or later: adds the principal column (the session's logged-
-- in user, SESSION_PRINCIPAL_KEY) and its index to a session table created before them, which has
-- the columns id, data, expires_at, version, lock_token and lock_until. A table of SessionKit 0.1
-- (without version) first needs upgrade-add-version-postgresql.sql. Start-up runs both when
-- SESSION_JDBC_CREATE_TABLE is true; otherwise run them yourself, in that order, before starting
-- the new release.
-- Replace {{table}} with the table name (optionally schema-qualified, e.g. app.sessions)
-- and {{table_name}} with its unqualified name (e.g. sessions).
-- Existing rows get no principal; they load and save as before. Adding the column does not
-- rewrite the table; building the index reads it once and blocks writes to it meanwhile. On a
-- large, busy table run the second statement by hand first as CREATE INDEX CONCURRENTLY IF NOT
-- EXISTS (outside a transaction).
ALTER TABLE {{table}} ADD COLUMN IF NOT EXISTS principal VARCHAR(256);
CREATE INDEX IF NOT EXISTS {{table_name}}_principal ON {{table}} (principal);
