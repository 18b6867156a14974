-- SessionKit JDBC store, MariaDB 10.3 or later and MySQL 5.7 or later: adds the principal column
-- (the session's logged-in user, SESSION_PRINCIPAL_KEY) and its index to a session table created
-- before them, which has the columns id, data, expires_at, version, lock_token and lock_until. A
-- table of SessionKit 0.1 (without version) first needs upgrade-add-version-mariadb.sql. Start-up
-- runs both when SESSION_JDBC_CREATE_TABLE is true; otherwise run them yourself, in that order,
-- before starting the new release.
-- Replace {{table}} with the table name (optionally database-qualified, e.g. app.sessions)
-- and {{table_name}} with its unqualified name (e.g. sessions).
-- Existing rows get no principal; they load and save as before. InnoDB adds the column and builds
-- the index online: reads and writes of the table go on meanwhile.
ALTER TABLE {{table}}
    ADD COLUMN principal VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    ADD INDEX {{table_name}}_principal (principal);
