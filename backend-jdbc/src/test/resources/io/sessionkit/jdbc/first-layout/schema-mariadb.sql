-- The session table as SessionKit 0.1 created it, before the columns version, lock_token and
-- lock_until: the starting point of the upgrade tests. Do not change it.
-- SessionKit JDBC store, MariaDB 10.3 or later and MySQL 5.7 or later.
-- Replace {{table}} with the table name (optionally database-qualified, e.g. app.sessions)
-- and {{table_name}} with its unqualified name (e.g. sessions).
-- expires_at is the expiry instant in milliseconds since 1970-01-01T00:00:00Z.
-- Session ids are case-sensitive, hence the binary collation of id.
-- The index is declared inside CREATE TABLE because MySQL has no CREATE INDEX IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS {{table}} (
    id         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    data       LONGBLOB     NOT NULL,
    expires_at BIGINT       NOT NULL,
    INDEX {{table_name}}_expires_at (expires_at)
) ENGINE = InnoDB;
