-- SessionKit JDBC store, H2 2.x: adds the principal column (the session's logged-in user,
-- SESSION_PRINCIPAL_KEY) and its index to a session table created before them, which has the
-- columns id, data, expires_at, version, lock_token and lock_until. A table of SessionKit 0.1
-- (without version) first needs upgrade-add-version-h2.sql. Start-up runs both when
-- SESSION_JDBC_CREATE_TABLE is true; otherwise run them yourself, in that order, before starting
-- the new release.
-- Replace {{table}} with the table name (optionally schema-qualified, e.g. app.sessions)
-- and {{table_name}} with its unqualified name (e.g. sessions).
-- Existing rows get no principal; they load and save as before.
ALTER TABLE {{table}} ADD COLUMN IF NOT EXISTS principal VARCHAR(256);
CREATE INDEX IF NOT EXISTS {{table_name}}_principal ON {{table}} (principal);
