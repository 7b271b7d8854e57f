import { Pool } from 'pg';
import { eventStoreContract, Collector, newEvent } from '../../eventsourcing/src/testing/event-store.contract';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { appendInTransaction, PostgresEventStore } from './postgres-event-store';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

eventStoreContract('PostgreSQL', { connect: async () => PostgresEventStore.connect(db.url, { pollIntervalMs: 100 }) });

describe('PostgreSQL event store specifics', () => {
  let store: PostgresEventStore;
  let pool: Pool;
  beforeAll(() => {
    store = PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    pool = new Pool({ connectionString: db.url });
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('a subscriber never skips an event whose transaction commits late, and delivers each once in a consistent order', async () => {
    const type = `LateCommit_${Date.now()}`;
    const collector = new Collector();
    const subscription = store.subscribeToAll(collector.handler, { eventTypes: [type], batchSize: 2 });
    try {
      await store.appendToStream('late-a', [newEvent(type, { i: 'before' })]);
      await collector.waitFor(1);

      // Given an append whose transaction stays open (it took its transaction id first)...
      const slow = await pool.connect();
      await slow.query('BEGIN');
      await appendInTransaction(slow, 'late-slow', [newEvent(type, { i: 'slow' })], 'any');
      // ...when later appends commit around it...
      for (let i = 0; i < 5; i++) await store.appendToStream(`late-fast-${i}`, [newEvent(type, { i: `fast${i}` })]);
      // ...the subscriber holds back everything behind the open transaction (nothing skipped),
      await new Promise((r) => setTimeout(r, 300));
      expect(collector.events.map((e) => (e.data as { i: string }).i)).toEqual(['before']);
      // then, once it commits, delivers all of them exactly once, in (transaction, position) order.
      await slow.query('COMMIT');
      slow.release();
      await collector.waitFor(7);
      await store.appendToStream('late-after', [newEvent(type, { i: 'after' })]);
      await collector.waitFor(8);
      const seen = collector.events.map((e) => (e.data as { i: string }).i);
      expect(seen).toEqual(['before', 'slow', 'fast0', 'fast1', 'fast2', 'fast3', 'fast4', 'after']);
      expect(new Set(collector.events.map((e) => e.id)).size).toBe(8);
    } finally {
      await subscription.stop();
    }
  });

  it('the database refuses to UPDATE, DELETE or TRUNCATE stored events', async () => {
    await store.appendToStream('immutable-1', [newEvent('Immutable')]);
    await expect(pool.query(`UPDATE es_events SET data = '{}' WHERE stream_id = 'immutable-1'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(pool.query(`DELETE FROM es_events WHERE stream_id = 'immutable-1'`)).rejects.toThrow(/append-only/);
    await expect(pool.query('TRUNCATE es_events')).rejects.toThrow(/append-only/);
    expect(await store.readStream('immutable-1')).toHaveLength(1);
  });

  it('is woken by NOTIFY rather than waiting for the polling interval', async () => {
    const slowPoll = PostgresEventStore.connect(db.url, { pollIntervalMs: 60_000 });
    const type = `Notify_${Date.now()}`;
    const collector = new Collector();
    const sub = slowPoll.subscribeToAll(collector.handler, { eventTypes: [type] });
    try {
      await new Promise((r) => setTimeout(r, 300)); // listener connected, subscriber idle
      await store.appendToStream('notify-1', [newEvent(type)]);
      await collector.waitFor(1, 5000);
    } finally {
      await sub.stop();
      await slowPoll.close();
    }
  });
});
