/**
 * Tamper evidence on real PostgreSQL (ADR 0006): events appended through the store and sealed by
 * the log-seals projector verify as intact; then a superuser edits or deletes rows directly,
 * bypassing the append-only triggers, and the verifier names exactly what was touched. Also: the
 * hash-chain migration backfills events written before it.
 */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import { newEvent } from '../../../eventsourcing/src/testing/event-store.contract';
import { PostgresEventStore } from '../../../eventstore-postgres/src/postgres-event-store';
import { createDataSource } from '../../../platform/src/database/data-source';
import { EventHashChain1763900000002 } from '../../../platform/src/database/migrations/1763900000002-event-hash-chain.migration';
import { ProjectionEngine } from '../../../projections/src/projection-engine';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { LogSealProjector } from '../log-seals/log-seals.projector';
import { createLogVerifier } from './log-sources';

let db: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;
/** A superuser session (the test server's `postgres` user). */
let su: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  store = PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
  dataSource = createDataSource(db.url, APP_SCHEMA);
  await dataSource.initialize();
  su = new Client({ connectionString: db.url });
  await su.connect();
});
afterAll(async () => {
  await su.end();
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const verify = () => createLogVerifier(store, dataSource).verify({ pageSize: 7 });

/** Runs the log-seals projector until it has sealed the whole log, in batches of `batchSize`. */
async function sealEverything(batchSize = 5): Promise<void> {
  const engine = new ProjectionEngine(
    [new LogSealProjector()],
    store,
    dataSource,
    { connectionString: db.url },
    {
      batchSize,
      retryDelayMs: 50,
    },
  );
  await engine.start();
  try {
    await engine.waitUntilCaughtUp(15_000);
  } finally {
    await engine.stop();
  }
}

async function row(streamId: string, revision: number): Promise<{ global_position: string; event_id: string }> {
  const { rows } = await su.query<{ global_position: string; event_id: string }>(
    `SELECT global_position::text AS global_position, event_id::text AS event_id
       FROM es_events WHERE stream_id = $1 AND stream_revision = $2`,
    [streamId, revision],
  );
  return rows[0]!;
}

/** Tampers as superuser with the triggers bypassed, verifies, then puts the log back as it was. */
async function whileTampered<T>(tamper: string, params: unknown[], check: () => Promise<T>): Promise<T> {
  await su.query('CREATE TABLE es_events_saved AS SELECT * FROM es_events');
  try {
    await su.query('SET session_replication_role = replica'); // no user triggers fire in this session
    await su.query(tamper, params);
    await su.query('SET session_replication_role = DEFAULT');
    return await check();
  } finally {
    await su.query('SET session_replication_role = replica');
    await su.query('DELETE FROM es_events');
    await su.query('INSERT INTO es_events SELECT * FROM es_events_saved');
    await su.query('SET session_replication_role = DEFAULT');
    await su.query('DROP TABLE es_events_saved');
  }
}

describe('verify-log on PostgreSQL', () => {
  beforeAll(async () => {
    // Given three order streams, appended in several commits and interleaved, all sealed
    for (let round = 0; round < 4; round++) {
      for (const order of ['A', 'B', 'C']) {
        await store.appendToStream(`order-${order}`, [
          newEvent('Thing', { order, round, amount: { amount: 1000 * (round + 1), currency: 'USD' } }),
          newEvent('Other', { order, round, note: `r${round}` }),
        ]);
      }
    }
    await sealEverything(5);
  });

  it('an untouched log is intact: every event, stream and seal checks out', async () => {
    const result = await verify();
    expect(result).toMatchObject({
      ok: true,
      eventsChecked: 24,
      streamsChecked: 3,
      sealsChecked: 5,
      unsealedEvents: 0,
      firstBrokenLink: null,
    });
    expect(result.lastSeal).toMatchObject({ sealNo: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("(a) an event's data edited directly: the verifier names exactly that event", async () => {
    const target = await row('order-B', 4);
    const result = await whileTampered(
      `UPDATE es_events SET data = jsonb_set(data, '{amount,amount}', '999999') WHERE global_position = $1`,
      [target.global_position],
      verify,
    );
    expect(result.ok).toBe(false);
    expect(result.firstBrokenLink).toMatchObject({
      globalPosition: target.global_position,
      eventId: target.event_id,
      streamId: 'order-B',
      streamRevision: '4',
      reason: expect.stringContaining('edited'),
    });
    expect(result.brokenLinkCount).toBe(1); // nothing else is blamed
  });

  it('(b) an event deleted in the middle of its stream: the stream and the missing revision', async () => {
    const target = await row('order-C', 3);
    const result = await whileTampered(
      'DELETE FROM es_events WHERE global_position = $1',
      [target.global_position],
      verify,
    );
    expect(result.ok).toBe(false);
    expect(result.firstBrokenLink).toMatchObject({
      streamId: 'order-C',
      streamRevision: '3',
      reason: expect.stringContaining('missing'),
    });
    // and the seal that covered it counts one event too many
    expect(result.brokenLinks.some((l) => l.sealNo !== undefined && /deleted/.test(l.reason))).toBe(true);
  });

  it("(b') a stream's last event deleted: its es_streams row still says the stream goes further", async () => {
    const result = await whileTampered(
      `DELETE FROM es_events WHERE stream_id = 'order-A' AND stream_revision = 7`,
      [],
      verify,
    );
    expect(result.firstBrokenLink).toMatchObject({ streamId: 'order-A', streamRevision: '7' });
  });

  it('(c) the recorded_at of a sealed event edited: the seal that covers it is named', async () => {
    const target = await row('order-A', 4);
    const { rows: seals } = await su.query<{ seal_no: string }>(
      `SELECT seal_no::text AS seal_no FROM es_log_seals
        WHERE split_part(first_position, '/', 2)::bigint <= $1 AND last_global_position >= $1`,
      [target.global_position],
    );
    const result = await whileTampered(
      `UPDATE es_events SET recorded_at = recorded_at - interval '3 days' WHERE global_position = $1`,
      [target.global_position],
      verify,
    );
    expect(result.ok).toBe(false);
    expect(result.firstBrokenLink).toMatchObject({
      sealNo: Number(seals[0]!.seal_no),
      reason: expect.stringContaining('record time'),
    });
  });

  it('a trigger disabled by the table owner is bypassed just the same: an edited type is named', async () => {
    const target = await row('order-C', 0);
    await su.query('CREATE TABLE es_events_saved AS SELECT * FROM es_events');
    try {
      await su.query('ALTER TABLE es_events DISABLE TRIGGER es_events_no_update_delete');
      await su.query(`UPDATE es_events SET event_type = 'Forged' WHERE global_position = $1`, [target.global_position]);
      await su.query('ALTER TABLE es_events ENABLE TRIGGER es_events_no_update_delete');
      const result = await verify();
      expect(result.firstBrokenLink).toMatchObject({
        globalPosition: target.global_position,
        eventId: target.event_id,
      });
    } finally {
      await su.query('ALTER TABLE es_events DISABLE TRIGGER es_events_no_update_delete');
      await su.query('DELETE FROM es_events');
      await su.query('INSERT INTO es_events SELECT * FROM es_events_saved');
      await su.query('ALTER TABLE es_events ENABLE TRIGGER es_events_no_update_delete');
      await su.query('DROP TABLE es_events_saved');
    }
  });

  it('after the log was put back, it is intact again', async () => {
    expect((await verify()).ok).toBe(true);
  });
});

describe('the hash-chain migration', () => {
  let old: TestDatabase;
  afterAll(async () => {
    await old?.drop();
  });

  it('backfills the hashes of events written before it, and appends continue the chains', async () => {
    // Given a database whose events were written before the chain existed
    old = await createTestDatabase();
    const oldSource = createDataSource(old.url, APP_SCHEMA);
    await oldSource.initialize();
    const oldStore = PostgresEventStore.connect(old.url, { listen: false });
    try {
      await oldStore.appendToStream('legacy-1', [newEvent('Thing', { n: 0 }), newEvent('Thing', { n: 1 })]);
      await oldStore.appendToStream('legacy-2', [newEvent('Thing', { n: 0 }, '2026-03-01T12:00:00.123Z')]);
      await oldStore.appendToStream('legacy-1', [newEvent('Thing', { n: 2, nested: { z: 1, a: [1, 'x'] } })]);
      const migration = new EventHashChain1763900000002();
      const runner = oldSource.createQueryRunner();
      try {
        await migration.down(runner); // the columns go: as it was before this migration
        // When the migration runs on them
        await runner.startTransaction();
        await migration.up(runner);
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
      // Then every event has its hash, chained per stream, and the log verifies
      const unhashed = (await oldSource.query('SELECT count(*)::int AS n FROM es_events WHERE hash IS NULL')) as Array<{
        n: number;
      }>;
      expect(unhashed[0]!.n).toBe(0);
      await oldStore.appendToStream('legacy-1', [newEvent('Thing', { n: 3 })], { expectedRevision: 2n });
      const stream = await oldStore.readStream('legacy-1');
      expect(stream.map((e) => e.prevHash)).toEqual([null, stream[0]!.hash, stream[1]!.hash, stream[2]!.hash]);
      const result = await createLogVerifier(oldStore, oldSource).verify();
      expect(result).toMatchObject({ ok: true, eventsChecked: 5, streamsChecked: 2 });
      // and the append-only trigger is back
      await expect(oldSource.query(`UPDATE es_events SET data = '{}'`)).rejects.toThrow(/append-only/);
    } finally {
      await oldStore.close();
      await oldSource.destroy();
    }
  });
});
