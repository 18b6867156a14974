#!/usr/bin/env bash
# Makes sure every server the test suite talks to is installed and answering on 127.0.0.1:
#   redis-server, memcached and openssl binaries (the tests start their own private servers on
#   free ports; the Redis TLS test makes its own certificate),
#   PostgreSQL on 127.0.0.1:5432 (user postgres, trust, database "test"),
#   MariaDB on 127.0.0.1:3306 (root, empty password, database "test").
# Servers already answering are used as they are; missing ones are installed (Debian packages)
# and started. Exits non-zero, saying what is missing, when a server cannot be made to answer:
# a backend test must fail loudly, never be skipped.
set -euo pipefail

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

apt_updated=no
install_packages() {
    if ! command -v apt-get >/dev/null; then
        die "missing $*, and no apt-get to install it with: install $* yourself"
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || die "missing $*: run as root or install it yourself"
        sudo=sudo
    fi
    if [ "$apt_updated" = no ]; then
        log "apt-get update"
        $sudo apt-get update -qq
        apt_updated=yes
    fi
    log "installing $*"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # description, seconds, command...
    local what=$1 seconds=$2; shift 2
    for _ in $(seq 1 $((seconds * 4))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    die "$what did not answer within ${seconds}s"
}

ensure_binaries() {
    command -v redis-server >/dev/null && command -v redis-cli >/dev/null || install_packages redis-server
    command -v memcached >/dev/null || install_packages memcached
    # The Redis TLS test makes a throw-away certificate.
    command -v openssl >/dev/null || install_packages openssl
    command -v redis-server >/dev/null || die "redis-server is still not on PATH"
    command -v memcached >/dev/null || die "memcached is still not on PATH"
}

postgres_answers() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc 'select 1' 2>/dev/null | grep -q 1; }

ensure_postgres() {
    if ! postgres_answers; then
        ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || install_packages postgresql postgresql-client
        if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
            local version
            version=$(ls /etc/postgresql | sort -V | tail -n 1)
            log "starting PostgreSQL cluster $version/main"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
        fi
        postgres_answers || start_private_postgres
        wait_for "PostgreSQL on 127.0.0.1:5432 (user postgres)" 30 postgres_answers
    fi
    if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1; then
        psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test' >/dev/null
    fi
    log "PostgreSQL answers on 127.0.0.1:5432"
}

# A throw-away server with trust authentication, for machines whose own cluster wants passwords.
start_private_postgres() {
    local bin dir
    bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
    dir=$(mktemp -d /tmp/sessionkit-postgres.XXXXXX)
    chmod 755 "$dir"
    local run=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        run=(runuser -u postgres --)
    fi
    log "starting a private PostgreSQL in $dir"
    "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p 5432 -k $dir -c fsync=off" start >/dev/null
}

mariadb_answers() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'select 1' >/dev/null 2>&1; }

ensure_mariadb() {
    if ! mariadb_answers; then
        command -v mariadbd >/dev/null || install_packages mariadb-server mariadb-client
        if ! mariadb -u root -e 'select 1' >/dev/null 2>&1; then
            log "starting MariaDB"
            mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
            start-stop-daemon --start --oknodo --background --exec "$(command -v mariadbd)" -- --user=mysql \
                --bind-address=127.0.0.1 --port=3306
            wait_for "MariaDB (socket)" 30 mariadb -u root -e 'select 1'
        fi
        # A fresh Debian install lets root in only through the socket; the tests log in over TCP.
        mariadb_answers || mariadb -u root -e \
            "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
        wait_for "MariaDB on 127.0.0.1:3306 (root, empty password)" 30 mariadb_answers
    fi
    mariadb -h 127.0.0.1 -u root -e 'CREATE DATABASE IF NOT EXISTS test'
    log "MariaDB answers on 127.0.0.1:3306"
}

ensure_binaries
command -v psql >/dev/null || install_packages postgresql-client
command -v mariadb >/dev/null || install_packages mariadb-client
ensure_postgres
ensure_mariadb
log "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), memcached $(memcached -V | cut -d' ' -f2) ready"
