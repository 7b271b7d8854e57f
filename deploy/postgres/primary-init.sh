#!/usr/bin/env bash
# The `scale` profile's PostgreSQL primary, run once when its data directory is created
# (/docker-entrypoint-initdb.d): a role for streaming replication, a physical replication slot for
# the replica (the primary keeps the WAL it has not received yet), and a pg_hba line that lets the
# role connect for replication (`all` in pg_hba's database column does not cover replication).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica_1');
SQL

echo 'host replication replicator all scram-sha-256' >> "$PGDATA/pg_hba.conf"
