-- The session table as SessionKit 0.1 created it, before the columns version, lock_token and
-- lock_until: the starting point of the upgrade tests. Do not change it.
-- SessionKit JDBC store, H2 2.x.
-- Replace {{table}} with the table name (optionally schema-qualified, e.g. app.sessions)
-- and {{table_name}} with its unqualified name (e.g. sessions).
-- expires_at is the expiry instant in milliseconds since 1970-01-01T00:00:00Z.
CREATE TABLE IF NOT EXISTS {{table}} (
    id         VARCHAR(255)      NOT NULL PRIMARY KEY,
    data       VARBINARY         NOT NULL,
    expires_at BIGINT            NOT NULL
);
CREATE INDEX IF NOT EXISTS {{table_name}}_expires_at ON {{table}} (expires_at);
