/** The benchmark's history into an empty log: whole new streams, many per statement. */
import type { PoolClient } from 'pg';
import { appendBatch } from '../../libs/eventstore-postgres/src/bulk-append';
import type { StreamAppend } from './history';

export function writeNewStreams(client: PoolClient, appends: readonly StreamAppend[]): Promise<number> {
  return appendBatch(
    client,
    appends.map((a) => ({ ...a, expectedRevision: -1n })),
    { checkNewStreams: false },
  );
}
