/**
 * Schema of the PostgreSQL event store. Applied by a TypeORM migration (see libs/platform);
 * kept here so the adapter and its schema change together.
 *
 * - `es_events` is append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
 * - `transaction_id` (xid8) + `global_position` give the global order that subscribers follow:
 *   they only read below the snapshot's xmin, so an event that commits late is never skipped.
 * - `es_streams` holds each stream's last revision; appends lock its row.
 *
 * This is the initial schema (migration 1763900000000). Migration 1763900000002 (libs/platform,
 * `EVENT_HASH_CHAIN_UP` below) adds the hash chain of ADR 0006: `es_events.hash` (NOT NULL, SHA-256
 * hex of the event's canonical form, see libs/eventsourcing/src/event-hash.ts) and
 * `es_events.prev_hash` (the stream's previous event's hash, NULL at revision 0), and
 * `es_streams.last_hash` (the hash of the stream's last event, read under the row lock by appends).
 */
export const EVENT_STORE_SCHEMA_UP = [
  `CREATE TABLE es_events (
     global_position bigserial PRIMARY KEY,
     transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
     event_id uuid NOT NULL,
     stream_id text NOT NULL,
     stream_revision bigint NOT NULL,
     event_type text NOT NULL,
     schema_version integer NOT NULL,
     data jsonb NOT NULL,
     metadata jsonb NOT NULL,
     occurred_at timestamptz NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     CONSTRAINT es_events_event_id_key UNIQUE (event_id),
     CONSTRAINT es_events_stream_revision_key UNIQUE (stream_id, stream_revision)
   )`,
  `CREATE INDEX es_events_order_idx ON es_events (transaction_id, global_position)`,
  `CREATE INDEX es_events_type_order_idx ON es_events (event_type, transaction_id, global_position)`,
  `CREATE TABLE es_streams (
     stream_id text PRIMARY KEY,
     revision bigint NOT NULL
   )`,
  `CREATE FUNCTION es_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'es_events is append-only: % refused', TG_OP
       USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE TRIGGER es_events_no_update_delete BEFORE UPDATE OR DELETE ON es_events
     FOR EACH ROW EXECUTE FUNCTION es_refuse_change()`,
  `CREATE TRIGGER es_events_no_truncate BEFORE TRUNCATE ON es_events
     FOR EACH STATEMENT EXECUTE FUNCTION es_refuse_change()`,
];

export const EVENT_STORE_SCHEMA_DOWN = [
  `DROP TABLE es_streams`,
  `DROP TABLE es_events`,
  `DROP FUNCTION es_refuse_change()`,
];

/** Migration 1763900000002, before its backfill: the hash-chain columns (ADR 0006). */
export const EVENT_HASH_CHAIN_UP = [
  `ALTER TABLE es_events ADD COLUMN hash text, ADD COLUMN prev_hash text`,
  `ALTER TABLE es_streams ADD COLUMN last_hash text`,
];
/** After the backfill: every event has its hash. */
export const EVENT_HASH_CHAIN_REQUIRED = `ALTER TABLE es_events ALTER COLUMN hash SET NOT NULL`;
export const EVENT_HASH_CHAIN_DOWN = [
  `ALTER TABLE es_streams DROP COLUMN last_hash`,
  `ALTER TABLE es_events DROP COLUMN prev_hash, DROP COLUMN hash`,
];
/** The trigger that refuses UPDATE and DELETE (disabled only for the hash backfill). */
export const APPEND_ONLY_TRIGGER = 'es_events_no_update_delete';

export const NOTIFY_CHANNEL = 'es_events_appended';
