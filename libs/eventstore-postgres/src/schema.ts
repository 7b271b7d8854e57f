/**
 * Schema of the PostgreSQL event store. Applied by a TypeORM migration (see libs/platform);
 * kept here so the adapter and its schema change together.
 *
 * - `es_events` is append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
 * - `transaction_id` (xid8) + `global_position` give the global order that subscribers follow:
 *   they only read below the snapshot's xmin, so an event that commits late is never skipped.
 * - `es_streams` holds each stream's last revision; appends lock its row.
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

export const NOTIFY_CHANNEL = 'es_events_appended';
