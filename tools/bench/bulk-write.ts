/**
 * Writes many new streams in one statement: what `appendInTransaction` does for a stream appended
 * at `no_stream` (same columns, same hash chain from `chainHashes`, an `es_streams` row with the last
 * revision and hash), but for hundreds of streams per INSERT instead of six round trips per stream.
 * `npm run verify-log` on the result checks the chains. Only for loading the benchmark's history
 * into an empty log: it does not check expected revisions or duplicate ids beyond the unique keys.
 */
import type { PoolClient } from 'pg';
import { chainHashes, normalizeOccurredAt } from '../../libs/eventsourcing/src/index';
import { NOTIFY_CHANNEL } from '../../libs/eventstore-postgres/src/schema';
import type { StreamAppend } from './history';

export async function writeNewStreams(client: PoolClient, appends: readonly StreamAppend[]): Promise<number> {
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
  const heads = { stream: [] as string[], revision: [] as string[], hash: [] as string[] };
  for (const a of appends) {
    const occurredAt = a.events.map((e) => normalizeOccurredAt(e.occurredAt));
    const links = chainHashes(
      null,
      a.events.map((e, i) => ({ ...e, streamId: a.streamId, streamRevision: BigInt(i), occurredAt: occurredAt[i]! })),
    );
    a.events.forEach((e, i) => {
      cols.id.push(e.id);
      cols.stream.push(a.streamId);
      cols.revision.push(String(i));
      cols.type.push(e.type);
      cols.version.push(e.schemaVersion);
      cols.data.push(JSON.stringify(e.data));
      cols.metadata.push(JSON.stringify(e.metadata));
      cols.occurredAt.push(occurredAt[i]!);
      cols.hash.push(links[i]!.hash);
      cols.prevHash.push(links[i]!.prevHash);
    });
    heads.stream.push(a.streamId);
    heads.revision.push(String(a.events.length - 1));
    heads.hash.push(links[links.length - 1]!.hash);
  }
  await client.query(
    `INSERT INTO es_streams (stream_id, revision, last_hash) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])`,
    [heads.stream, heads.revision, heads.hash],
  );
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
  await client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, 'bench']);
  return cols.id.length;
}
