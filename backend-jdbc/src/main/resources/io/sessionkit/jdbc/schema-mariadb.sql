-- SessionKit JDBC store, MariaDB 10.3 or later and MySQL 5.7 or later.
-- Replace {{table}} with the table name (optionally database-qualified, e.g. app.sessions)
-- and {{table_name}} with its unqualified name (e.g. sessions).
-- expires_at is the expiry instant in milliseconds since 1970-01-01T00:00:00Z.
-- version changes with every write of data (conditional saves compare it); lock_token and
-- lock_until (milliseconds) hold the session's lock when SESSION_LOCKING is on.
-- principal is the logged-in user of the session (SESSION_PRINCIPAL_KEY), NULL for none; its
-- index serves the listing of a user's sessions.
-- Session ids and principals are case-sensitive, hence the binary collation of id and principal.
-- The indexes are declared inside CREATE TABLE because MySQL has no CREATE INDEX IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS {{table}} (
    id         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    data       LONGBLOB     NOT NULL,
    expires_at BIGINT       NOT NULL,
    version    BIGINT       NOT NULL DEFAULT 0,
    lock_token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    lock_until BIGINT       NULL,
    principal  VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    INDEX {{table_name}}_expires_at (expires_at),
    INDEX {{table_name}}_principal (principal)
) ENGINE = InnoDB;
