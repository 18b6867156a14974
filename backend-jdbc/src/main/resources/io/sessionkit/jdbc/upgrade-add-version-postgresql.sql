-- SessionKit JDBC store, PostgreSQL 9.6 or later: brings a session table created by SessionKit 0.1
-- (columns id, data, expires_at) up to date. Start-up runs it when SESSION_JDBC_CREATE_TABLE is
-- true; otherwise run it yourself before starting the new release.
-- Replace {{table}} with the table name (optionally schema-qualified, e.g. app.sessions).
-- Existing rows get version 0 and no lock; they load and save as before. On PostgreSQL 11 and
-- later adding these columns does not rewrite the table.
ALTER TABLE {{table}}
    ADD COLUMN IF NOT EXISTS version    BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS lock_token VARCHAR(255),
    ADD COLUMN IF NOT EXISTS lock_until BIGINT;
