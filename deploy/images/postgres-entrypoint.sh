#!/bin/sh
# First start: a cluster whose superuser `postgres` has POSTGRES_PASSWORD (scram), then the server.
set -eu
BIN=/usr/lib/postgresql/15/bin
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
  "$BIN/initdb" -D "$PGDATA" -U postgres --pwfile=/tmp/pwfile --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f /tmp/pwfile
fi
exec "$BIN/postgres" -D "$PGDATA" -p "$PGPORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories=/tmp -c max_connections=200
