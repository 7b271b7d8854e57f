import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { storedEventsOf } from '../../../eventsourcing/src/upcasting/upcasting-event-store';
import type { LogSeal } from '../log-seals/log-seals.projection';
import { LogVerifier, type SealReader, type StreamHead, type StreamHeadReader } from './log-verifier';

/** The seals in PostgreSQL (es_log_seals, written by the log-seals projector). */
export class PostgresSealReader implements SealReader {
  constructor(private readonly db: DataSource) {}

  async lastSealNo(): Promise<number | null> {
    const [row] = (await this.db.query('SELECT max(seal_no)::text AS n FROM es_log_seals')) as Array<{
      n: string | null;
    }>;
    return row?.n ? Number(row.n) : null;
  }

  async readSeals(afterSealNo: number, upTo: number, limit: number): Promise<LogSeal[]> {
    const rows = (await this.db.query(
      `SELECT seal_no::text AS seal_no, first_position, last_position, last_global_position::text AS last_global_position,
              event_count, prev_hash, hash
         FROM es_log_seals WHERE seal_no > $1 AND seal_no <= $2
        ORDER BY es_log_seals.seal_no LIMIT $3`,
      [afterSealNo, upTo, limit],
    )) as Array<{
      seal_no: string;
      first_position: string;
      last_position: string;
      last_global_position: string;
      event_count: number;
      prev_hash: string | null;
      hash: string;
    }>;
    return rows.map((r) => ({
      sealNo: Number(r.seal_no),
      firstPosition: r.first_position,
      lastPosition: r.last_position,
      lastGlobalPosition: r.last_global_position,
      eventCount: r.event_count,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }
}

/** The PostgreSQL event store's es_streams rows: each stream's last revision and last hash. */
export class PostgresStreamHeadReader implements StreamHeadReader {
  constructor(private readonly db: DataSource) {}

  async read(streamIds?: readonly string[]): Promise<Map<string, StreamHead>> {
    const rows = (await this.db.query(
      `SELECT stream_id, revision::text AS revision, last_hash FROM es_streams
        WHERE $1::text[] IS NULL OR stream_id = ANY($1::text[])`,
      [streamIds ? [...streamIds] : null],
    )) as Array<{ stream_id: string; revision: string; last_hash: string | null }>;
    return new Map(rows.map((r) => [r.stream_id, { revision: BigInt(r.revision), lastHash: r.last_hash }]));
  }
}

/**
 * A verifier of this system's log: events through the store, seals from PostgreSQL, and the
 * es_streams rows when the events are in PostgreSQL too (EventStoreDB keeps its own). The events
 * are read as stored (`storedEventsOf`: past any upcasting decorator), since the hashes cover the
 * stored bytes.
 */
export function createLogVerifier(store: EventStore, db: DataSource): LogVerifier {
  return new LogVerifier(
    storedEventsOf(store),
    new PostgresSealReader(db),
    store.kind === 'postgres' ? new PostgresStreamHeadReader(db) : null,
  );
}
