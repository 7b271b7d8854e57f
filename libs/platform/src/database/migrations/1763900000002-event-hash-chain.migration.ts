import type { MigrationInterface, QueryRunner } from 'typeorm';
import { chainHashes } from '../../../../eventsourcing/src/event-hash';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from '../../../../eventstore-postgres/src/postgres-event-store';
import {
  APPEND_ONLY_TRIGGER,
  EVENT_HASH_CHAIN_DOWN,
  EVENT_HASH_CHAIN_REQUIRED,
  EVENT_HASH_CHAIN_UP,
} from '../../../../eventstore-postgres/src/schema';

const PAGE = 2000;

/**
 * The hash chain of the event log (ADR 0006): adds `es_events.hash` / `prev_hash` and
 * `es_streams.last_hash`, and backfills the hashes of the events already stored (a developer's
 * demo data), stream by stream in revision order, computed in Node exactly as appends compute
 * them. The append-only trigger is disabled for this one transaction only (the table owner may),
 * so nothing else can change an event meanwhile; the migration runs in its own transaction.
 */
export class EventHashChain1763900000002 implements MigrationInterface {
  name = 'EventHashChain1763900000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of EVENT_HASH_CHAIN_UP) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE es_events DISABLE TRIGGER ${APPEND_ONLY_TRIGGER}`);
    let after: { streamId: string; revision: string } | null = null;
    let stream: string | null = null;
    let lastHash: string | null = null;
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT ${EVENT_COLUMNS} FROM es_events
          WHERE $1::text IS NULL OR (es_events.stream_id, es_events.stream_revision) > ($1::text, $2::bigint)
          ORDER BY es_events.stream_id, es_events.stream_revision
          LIMIT ${PAGE}`,
        [after?.streamId ?? null, after?.revision ?? null],
      )) as EventRow[];
      if (rows.length === 0) break;
      const positions: string[] = [];
      const hashes: string[] = [];
      const prevHashes: Array<string | null> = [];
      const streamHeads = new Map<string, string>();
      for (const row of rows) {
        if (row.stream_id !== stream) {
          stream = row.stream_id;
          lastHash = null;
        }
        const [link] = chainHashes(lastHash, [toStoredEvent(row)]);
        positions.push(row.global_position);
        hashes.push(link!.hash);
        prevHashes.push(link!.prevHash);
        lastHash = link!.hash;
        streamHeads.set(row.stream_id, link!.hash);
      }
      await queryRunner.query(
        `UPDATE es_events SET hash = u.hash, prev_hash = u.prev_hash
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(global_position, hash, prev_hash)
          WHERE es_events.global_position = u.global_position`,
        [positions, hashes, prevHashes],
      );
      await queryRunner.query(
        `UPDATE es_streams SET last_hash = u.last_hash
           FROM unnest($1::text[], $2::text[]) AS u(stream_id, last_hash)
          WHERE es_streams.stream_id = u.stream_id`,
        [[...streamHeads.keys()], [...streamHeads.values()]],
      );
      const last = rows[rows.length - 1]!;
      after = { streamId: last.stream_id, revision: last.stream_revision };
    }
    await queryRunner.query(`ALTER TABLE es_events ENABLE TRIGGER ${APPEND_ONLY_TRIGGER}`);
    await queryRunner.query(EVENT_HASH_CHAIN_REQUIRED);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of EVENT_HASH_CHAIN_DOWN) await queryRunner.query(sql);
  }
}
