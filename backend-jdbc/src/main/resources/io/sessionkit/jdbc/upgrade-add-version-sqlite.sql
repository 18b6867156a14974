-- SessionKit JDBC store, SQLite 3.35 or later: brings a session table created by SessionKit 0.1
-- (columns id, data, expires_at) up to date. Start-up runs it when SESSION_JDBC_CREATE_TABLE is
-- true; otherwise run it yourself before starting the new release.
-- Replace {{table}} with the table name (optionally qualified by an attached database,
-- e.g. app.sessions). SQLite adds one column per statement and has no IF NOT EXISTS here: a
-- statement whose column is already there fails harmlessly, run the others.
-- Existing rows get version 0 and no lock; they load and save as before.
ALTER TABLE {{table}} ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE {{table}} ADD COLUMN lock_token TEXT;
ALTER TABLE {{table}} ADD COLUMN lock_until INTEGER;
