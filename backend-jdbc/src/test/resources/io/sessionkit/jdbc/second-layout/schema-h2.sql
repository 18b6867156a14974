-- The session table as SessionKit created it before the principal column: id, data, expires_at,
-- version, lock_token, lock_until. The starting point of the principal upgrade tests. Do not change it.
-- SessionKit JDBC store, H2 2.x.
-- Replace {{table}} with the table name (optionally schema-qualified, e.g. app.sessions)
-- and {{table_name}} with its unqualified name (e.g. sessions).
-- expires_at is the expiry instant in milliseconds since 1970-01-01T00:00:00Z.
-- version changes with every write of data (conditional saves compare it); lock_token and
-- lock_until (milliseconds) hold the session's lock when SESSION_LOCKING is on.
CREATE TABLE IF NOT EXISTS {{table}} (
    id         VARCHAR(255)      NOT NULL PRIMARY KEY,
    data       VARBINARY         NOT NULL,
    expires_at BIGINT            NOT NULL,
    version    BIGINT            NOT NULL DEFAULT 0,
    lock_token VARCHAR(255),
    lock_until BIGINT
);
CREATE INDEX IF NOT EXISTS {{table_name}}_expires_at ON {{table}} (expires_at);
