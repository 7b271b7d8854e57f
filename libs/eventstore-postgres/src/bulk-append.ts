/**
 * The multi-stream form of the store's append: what `appendInTransaction` does for one stream
 * (same columns, same hash chain from `chainHashes`, the `es_streams` row with the last revision and
 * hash), for thousands of events of many streams per INSERT instead of a few round trips per stream.
 * Used by `npm run import` (tools/import) and the benchmark's history loader (tools/bench).
 * `npm run verify-log` on the result checks the chains.
 *
 * `appendBatch` appends in the order given, to new streams or after a stream's current revision,
 * each with the revision it was decided on. The existing streams' rows are locked and their
 * revisions checked, and new streams must not exist yet: a stream that changed meanwhile fails the
 * whole batch with WrongExpectedRevisionError (the caller rolls back). It does not look for
 * duplicate event ids beyond the unique key (the import checks them before).
 * `checkNewStreams: false` skips the existence check of new streams (an empty log).
 */
import type { PoolClient } from 'pg';
import {
  chainHashes,
  type NewEvent,
  normalizeOccurredAt,
  WrongExpectedRevisionError,
} from '../../eventsourcing/src/index';
import { NOTIFY_CHANNEL } from './schema';

/** Events for one stream, decided on the stream at `expectedRevision` (-1: no stream yet). */
export interface RevisionedAppend {
  readonly streamId: string;
  readonly expectedRevision: bigint;
  readonly events: readonly NewEvent[];
}

interface Head {
  revision: bigint;
  hash: string | null;
  readonly isNew: boolean;
}

/**
 * Appends in one INSERT, in the order given (one stream may come back several times: its appends
 * must follow each other's revisions). Returns the number of events written.
 */
export async function appendBatch(
  client: PoolClient,
  appends: readonly RevisionedAppend[],
  options: { checkNewStreams?: boolean } = {},
): Promise<number> {
  const heads = new Map<string, Head>();
  const existing: string[] = [];
  for (const a of appends) {
    if (heads.has(a.streamId)) continue;
    heads.set(a.streamId, { revision: a.expectedRevision, hash: null, isNew: a.expectedRevision < 0n });
    if (a.expectedRevision >= 0n) existing.push(a.streamId);
  }
  if (existing.length > 0) {
    const locked = await client.query<{ stream_id: string; revision: string; last_hash: string | null }>(
      `SELECT stream_id, revision::text AS revision, last_hash FROM es_streams
        WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE`,
      [existing],
    );
    const found = new Map(locked.rows.map((r) => [r.stream_id, r]));
    const missingHash: string[] = [];
    for (const streamId of existing) {
      const head = heads.get(streamId)!;
      const row = found.get(streamId);
      const actual = row ? BigInt(row.revision) : -1n;
      if (actual !== head.revision) {
        throw new WrongExpectedRevisionError(
          streamId,
          head.revision.toString(),
          actual < 0n ? 'no_stream' : actual.toString(),
        );
      }
      head.hash = row?.last_hash ?? null;
      if (head.hash === null) missingHash.push(streamId);
    }
    if (missingHash.length > 0) {
      // Rows from before `last_hash`: the stored hash of the last event, as appendInTransaction does.
      const stored = await client.query<{ stream_id: string; hash: string | null }>(
        `SELECT e.stream_id, e.hash FROM es_events e JOIN es_streams s USING (stream_id)
          WHERE s.stream_id = ANY($1::text[]) AND e.stream_revision = s.revision`,
        [missingHash],
      );
      for (const r of stored.rows) heads.get(r.stream_id)!.hash = r.hash;
    }
  }

  const cols = {
    id: [] as string[],
    stream: [] as string[],
    revision: [] as string[],
    type: [] as string[],
    version: [] as number[],
    data: [] as string[],
    metadata: [] as string[],
    occurredAt: [] as string[],
    hash: [] as string[],
    prevHash: [] as (string | null)[],
  };
  for (const a of appends) {
    const head = heads.get(a.streamId)!;
    if (a.expectedRevision !== head.revision) {
      throw new WrongExpectedRevisionError(a.streamId, a.expectedRevision.toString(), head.revision.toString());
    }
    if (a.events.length === 0) continue;
    const occurredAt = a.events.map((e) => normalizeOccurredAt(e.occurredAt));
    const links = chainHashes(
      head.hash,
      a.events.map((e, i) => ({
        ...e,
        streamId: a.streamId,
        streamRevision: head.revision + 1n + BigInt(i),
        occurredAt: occurredAt[i]!,
      })),
    );
    a.events.forEach((e, i) => {
      cols.id.push(e.id);
      cols.stream.push(a.streamId);
      cols.revision.push(String(head.revision + 1n + BigInt(i)));
      cols.type.push(e.type);
      cols.version.push(e.schemaVersion);
      cols.data.push(JSON.stringify(e.data));
      cols.metadata.push(JSON.stringify(e.metadata));
      cols.occurredAt.push(occurredAt[i]!);
      cols.hash.push(links[i]!.hash);
      cols.prevHash.push(links[i]!.prevHash);
    });
    head.revision += BigInt(a.events.length);
    head.hash = links[links.length - 1]!.hash;
  }
  if (cols.id.length === 0) return 0;

  const created = { stream: [] as string[], revision: [] as string[], hash: [] as string[] };
  const updated = { stream: [] as string[], revision: [] as string[], hash: [] as string[] };
  for (const [streamId, head] of heads) {
    if (head.revision < 0n) continue;
    const to = head.isNew ? created : updated;
    to.stream.push(streamId);
    to.revision.push(head.revision.toString());
    to.hash.push(head.hash!);
  }
  if (created.stream.length > 0) {
    if (options.checkNewStreams === false) {
      await client.query(
        `INSERT INTO es_streams (stream_id, revision, last_hash) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])`,
        [created.stream, created.revision, created.hash],
      );
    } else {
      const inserted = await client.query<{ stream_id: string }>(
        `INSERT INTO es_streams (stream_id, revision, last_hash) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
         ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`,
        [created.stream, created.revision, created.hash],
      );
      if (inserted.rows.length !== created.stream.length) {
        const made = new Set(inserted.rows.map((r) => r.stream_id));
        const taken = created.stream.find((s) => !made.has(s))!;
        throw new WrongExpectedRevisionError(taken, 'no_stream', 'created concurrently');
      }
    }
  }
  await client.query(
    `INSERT INTO es_events
       (event_id, stream_id, stream_revision, event_type, schema_version, data, metadata, occurred_at, hash, prev_hash)
     SELECT e.event_id, e.stream_id, e.stream_revision, e.event_type, e.schema_version, e.data, e.metadata,
            e.occurred_at, e.hash, e.prev_hash
       FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[],
                   $8::timestamptz[], $9::text[], $10::text[]) WITH ORDINALITY
            AS e(event_id, stream_id, stream_revision, event_type, schema_version, data, metadata, occurred_at, hash,
                 prev_hash, ord)
      ORDER BY e.ord`,
    [
      cols.id,
      cols.stream,
      cols.revision,
      cols.type,
      cols.version,
      cols.data,
      cols.metadata,
      cols.occurredAt,
      cols.hash,
      cols.prevHash,
    ],
  );
  if (updated.stream.length > 0) {
    await client.query(
      `UPDATE es_streams s SET revision = u.revision, last_hash = u.last_hash
         FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(stream_id, revision, last_hash)
        WHERE s.stream_id = u.stream_id`,
      [updated.stream, updated.revision, updated.hash],
    );
  }
  await client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, 'bulk']);
  return cols.id.length;
}
