#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: initdb in a temporary directory, listen
# only on a unix socket inside it, export DATABASE_URL, run the command, tear everything down.
#
# PostgreSQL refuses to run as root, so when we are root the server runs as `postgres`.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found; installing postgresql with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PG_DIR=$(mktemp -d /tmp/crm-pg.XXXXXX)
chmod 755 "$PG_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
DB_USER=$([ "$(id -u)" -eq 0 ] && echo postgres || id -un)

cleanup() {
  as_db_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap cleanup EXIT INT TERM

as_db_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$DB_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Durability is pointless for a throwaway server; these make test databases fast to build.
# PG_SERVER_OPTS adds server settings (e.g. the benchmark's "-c shared_buffers=2GB").
as_db_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
  -o "-k $PG_DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 ${PG_SERVER_OPTS:-}" >/dev/null
as_db_user "$PG_BIN/createdb" -h "$PG_DIR" -U "$DB_USER" crm

export DATABASE_URL="postgres://$DB_USER@/crm?host=$PG_DIR"
"$@"
