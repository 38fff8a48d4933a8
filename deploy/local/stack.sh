#!/usr/bin/env bash
# The embedded local stack: PostgreSQL 15, Redis, the Kafka-protocol dev broker and an SMTP
# sink, run as project-local processes with their data under .stack/ (git-ignored).
#
#   stack.sh up      install what is missing, start everything, create databases and roles
#   stack.sh down    stop everything this stack started
#   stack.sh status  show what is running
#   stack.sh env     print the environment (addresses) the services and tests use
#
# Safe as root (PostgreSQL runs as the `postgres` user) and after a crash (stale pid files and
# zombie processes are recognised). Ports can be moved with ERP_*_PORT if they are taken.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK=${ERP_STACK_DIR:-$ROOT/.stack}
PG_PORT=${ERP_PG_PORT:-15432}
REDIS_PORT=${ERP_REDIS_PORT:-16379}
KAFKA_PORT=${ERP_KAFKA_PORT:-19092}
SMTP_PORT=${ERP_SMTP_PORT:-12525}
PG_BIN=/usr/lib/postgresql/15/bin
SERVICES="auth subscription crm hrm finance inventory project notification file ai"
# Databases the stack creates: one per service that owns data, plus one for the platform tests.
DATABASES="$SERVICES test"
PACKAGES="postgresql-15 postgresql-contrib libpq-dev redis-server librdkafka-dev libhiredis-dev libssl-dev python3-aiosmtpd pkg-config"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
    local missing=()
    for package in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# A process is alive when /proc says so and it is not a zombie (dead children are not reaped here).
alive() {
    local pid=$1
    [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
    local state
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ "$state" != Z ] && [ "$state" != X ]
}

pid_from() { [ -f "$1" ] && head -n1 "$1" | tr -dc 0-9 || true; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
    local port=$1 what=$2 tries=${3:-200}
    for _ in $(seq "$tries"); do port_open "$port" && return 0; sleep 0.1; done
    die "$what did not open port $port"
}

# PostgreSQL must be able to traverse to its data directory as the postgres user; a clone
# inside a 0700 temporary directory cannot offer that, so the data then lives in /var/tmp.
pg_data_dir() {
    if [ "$(id -u)" != 0 ]; then echo "$STACK/postgres"; return; fi
    if runuser -u postgres -- test -x "$STACK" 2>/dev/null; then
        echo "$STACK/postgres"
    else
        echo "/var/tmp/erp-stack-$(printf '%s' "$STACK" | sha256sum | cut -c1-12)/postgres"
    fi
}

# From / : the postgres user may not be allowed into the current directory.
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

start_postgres() {
    local data
    data=$(pg_data_dir)
    ln -sfn "$data" "$STACK/postgres-data"
    if [ -f "$data/postmaster.pid" ] && alive "$(pid_from "$data/postmaster.pid")"; then
        log "postgres already running on $PG_PORT"
        return
    fi
    # Left behind by a crash: the pid file and the socket lock make a new postmaster refuse to start.
    rm -f "$data/postmaster.pid" "$data"/.s.PGSQL.*
    if [ ! -f "$data/PG_VERSION" ]; then
        mkdir -p "$data"
        chmod 755 "$(dirname "$data")"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
        chmod 700 "$data"
        as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    fi
    port_open "$PG_PORT" && die "port $PG_PORT is taken by another process (set ERP_PG_PORT)"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data -c fsync=off -c max_connections=400 -c shared_buffers=256MB" \
        start >/dev/null
    log "postgres on 127.0.0.1:$PG_PORT"
}

psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "postgres://postgres@127.0.0.1:$PG_PORT/${1:-postgres}" "${@:2}"; }

# Each database is owned by erp_<name>_owner (migrations) and used by erp_<name>_app, which is
# neither owner nor superuser, so row-level security applies to everything the service does.
create_databases() {
    for name in $DATABASES; do
        local db="erp_$name" owner="erp_${name}_owner" app="erp_${name}_app"
        psql_admin postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$owner') THEN CREATE ROLE $owner LOGIN NOSUPERUSER; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$app') THEN CREATE ROLE $app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF;
END \$\$;
SELECT 'CREATE DATABASE $db OWNER $owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')\gexec
SQL
        psql_admin "$db" <<SQL
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $app;
GRANT ALL ON SCHEMA public TO $owner;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER DEFAULT PRIVILEGES FOR ROLE $owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $app;
ALTER DEFAULT PRIVILEGES FOR ROLE $owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO $app;
SQL
    done
}

start_redis() {
    local dir="$STACK/redis"
    mkdir -p "$dir"
    if alive "$(pid_from "$dir/redis.pid")"; then log "redis already running on $REDIS_PORT"; return; fi
    rm -f "$dir/redis.pid"
    port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by another process (set ERP_REDIS_PORT)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no >/dev/null
    wait_for_port "$REDIS_PORT" redis
    log "redis on 127.0.0.1:$REDIS_PORT"
}

start_kafka() {
    local dir="$STACK/kafka"
    mkdir -p "$dir"
    if alive "$(pid_from "$dir/broker.pid")"; then log "dev broker already running on $KAFKA_PORT"; return; fi
    port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process (set ERP_KAFKA_PORT)"
    local broker
    broker=$(broker_binary) || die "could not build erp-dev-broker"
    rm -f "$dir/bootstrap"
    nohup "$broker" --port "$KAFKA_PORT" --bootstrap-file "$dir/bootstrap" >"$dir/broker.log" 2>&1 </dev/null &
    echo $! >"$dir/broker.pid"
    wait_for_port "$KAFKA_PORT" "dev broker" 300
    log "kafka (dev broker) on 127.0.0.1:$KAFKA_PORT"
}

broker_binary() {
    local bin_path
    bin_path=$(cd "$ROOT" && swift build --product erp-dev-broker --show-bin-path 2>/dev/null || true)
    if [ ! -x "$bin_path/erp-dev-broker" ]; then
        log "building erp-dev-broker"
        (cd "$ROOT" && swift build --product erp-dev-broker >&2) || return 1
        bin_path=$(cd "$ROOT" && swift build --product erp-dev-broker --show-bin-path)
    fi
    echo "$bin_path/erp-dev-broker"
}

start_smtp() {
    local dir="$STACK/smtp"
    # Python's Maildir creates cur/new/tmp only when the folder itself is missing; a bare
    # existing folder makes every delivery fail with FileNotFoundError, so create all three.
    mkdir -p "$dir/maildir/cur" "$dir/maildir/new" "$dir/maildir/tmp"
    if alive "$(pid_from "$dir/smtp.pid")"; then log "smtp sink already running on $SMTP_PORT"; return; fi
    port_open "$SMTP_PORT" && die "port $SMTP_PORT is taken by another process (set ERP_SMTP_PORT)"
    # Debian's python3 carries aiosmtpd; a pyenv python on PATH may not.
    nohup /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$dir/maildir" \
        >"$dir/smtp.log" 2>&1 </dev/null &
    echo $! >"$dir/smtp.pid"
    wait_for_port "$SMTP_PORT" "smtp sink"
    log "smtp sink on 127.0.0.1:$SMTP_PORT (mail in $dir/maildir)"
}

stop_pidfile() {
    local file=$1 what=$2 pid
    pid=$(pid_from "$file")
    if alive "$pid"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -9 "$pid" 2>/dev/null || true
        log "stopped $what"
    fi
    rm -f "$file"
}

stop_postgres() {
    [ -e "$STACK/postgres-data" ] || return 0
    # The real path: the postgres user may not be able to traverse the link's folder.
    local data pid
    data=$(readlink -f "$STACK/postgres-data")
    pid=$(pid_from "$data/postmaster.pid")
    if alive "$pid"; then
        as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null || kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
        log "stopped postgres"
    fi
    rm -f "$data/postmaster.pid"
}

print_env() {
    cat <<ENV
export ERP_STACK_DIR=$STACK
export ERP_PG_DATA=$STACK/postgres-data
export POSTGRES_ADMIN_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres
export ERP_TEST_POSTGRES_URL=postgres://erp_test_app@127.0.0.1:$PG_PORT/erp_test
export ERP_TEST_POSTGRES_OWNER_URL=postgres://erp_test_owner@127.0.0.1:$PG_PORT/erp_test
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT
export SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export ERP_SMTP_MAILDIR=$STACK/smtp/maildir
ENV
}

status() {
    local data="$STACK/postgres-data"
    if [ -f "$data/postmaster.pid" ] && alive "$(pid_from "$data/postmaster.pid")"; then echo "postgres  up   127.0.0.1:$PG_PORT"; else echo "postgres  down"; fi
    alive "$(pid_from "$STACK/redis/redis.pid")" && echo "redis     up   127.0.0.1:$REDIS_PORT" || echo "redis     down"
    alive "$(pid_from "$STACK/kafka/broker.pid")" && echo "kafka     up   127.0.0.1:$KAFKA_PORT" || echo "kafka     down"
    alive "$(pid_from "$STACK/smtp/smtp.pid")" && echo "smtp      up   127.0.0.1:$SMTP_PORT" || echo "smtp      down"
}

case "${1:-}" in
    up)
        mkdir -p "$STACK"
        chmod 755 "$STACK"
        install_packages
        start_postgres
        create_databases
        start_redis
        start_smtp
        start_kafka
        print_env >"$STACK/env"
        log "stack is up; environment in $STACK/env"
        ;;
    down)
        stop_pidfile "$STACK/kafka/broker.pid" "dev broker"
        stop_pidfile "$STACK/smtp/smtp.pid" "smtp sink"
        stop_pidfile "$STACK/redis/redis.pid" redis
        stop_postgres
        ;;
    status) status ;;
    env) print_env ;;
    *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
