#!/usr/bin/env bash
# The `scale` profile's PostgreSQL read replica (hot standby, streaming replication). On first start
# (empty data directory) it copies the primary with pg_basebackup -R, which writes standby.signal and
# primary_conninfo, and streams through the slot replica_1; then it runs the image's usual entrypoint,
# which finds an existing data directory and starts the server as a standby. Read-only: every write
# is refused by the server itself.
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:?set PRIMARY_HOST}"
: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 0700 "$PGDATA"
  until pg_isready --host "$PRIMARY_HOST" --port 5432 --quiet; do
    echo "waiting for the primary at $PRIMARY_HOST:5432"
    sleep 1
  done
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup \
    --host "$PRIMARY_HOST" --port 5432 --username replicator \
    --pgdata "$PGDATA" --wal-method stream --slot replica_1 --write-recovery-conf --progress
fi

exec docker-entrypoint.sh "$@"
