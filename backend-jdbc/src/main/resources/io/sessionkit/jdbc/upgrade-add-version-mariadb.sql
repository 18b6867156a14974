-- SessionKit JDBC store, MariaDB 10.3 or later and MySQL 5.7 or later: brings a session table
-- created by SessionKit 0.1 (columns id, data, expires_at) up to date. Start-up runs it when
-- SESSION_JDBC_CREATE_TABLE is true; otherwise run it yourself before starting the new release.
-- Replace {{table}} with the table name (optionally database-qualified, e.g. app.sessions).
-- Existing rows get version 0 and no lock; they load and save as before. MariaDB 10.3+ and
-- MySQL 8.0.29+ add the columns instantly; older MySQL rebuilds the table once.
ALTER TABLE {{table}}
    ADD COLUMN version    BIGINT       NOT NULL DEFAULT 0,
    ADD COLUMN lock_token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    ADD COLUMN lock_until BIGINT       NULL;
