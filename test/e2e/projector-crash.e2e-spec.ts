/**
 * A projector killed (SIGKILL) between batches and started again ends with read models identical
 * to a clean rebuild: nothing lost, nothing applied twice.
 */
import { Client } from 'pg';
import { PostgresEventStore } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import { Api, givenReferenceData } from '../support/http';
import { startApp } from '../support/processes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
let apiSystem: RunningSystem;

beforeAll(async () => {
  db = await createTestDatabase();
  // The API alone: no projector runs in this process.
  apiSystem = await startSystem({
    role: 'api',
    settings: { ...readSettings({}), databaseUrl: db.url },
    port: 0,
    logger: false,
  });
  const api = new Api(apiSystem.url!);
  await givenReferenceData(api);
  for (let i = 0; i < 40; i++) {
    const r = await api.post('/api/v1/orders', {
      orderId: `O${i}`,
      customerId: 'C1',
      amount: { amount: 1000 + i * 137, currency: 'USD' },
      bookedAt: `2026-0${1 + (i % 6)}-1${i % 10}T08:00:00Z`,
    });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  }
});

afterAll(async () => {
  await apiSystem?.close();
  await db?.drop();
});

/** The read models, in their order, without the surrogate sequence. */
async function snapshot(): Promise<unknown> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      entries: await q(
        `SELECT entry_id, salesperson_id, type, amount, currency, period, original_period, order_id, source_event_id,
                source_position, occurred_at, recorded_at, explanation FROM ledger_entries ORDER BY seq`,
      ),
      plans: await q('SELECT * FROM ledger_plans ORDER BY plan_id'),
      salespeople: await q('SELECT * FROM ledger_salespeople ORDER BY salesperson_id'),
      assignments: await q(
        'SELECT assignment_id, salesperson_id, plan_id, effective_from FROM ledger_assignments ORDER BY seq',
      ),
      exceptions: await q('SELECT * FROM ledger_exceptions ORDER BY exception_id'),
    };
  } finally {
    await c.end();
  }
}

async function checkpoint(): Promise<{ events: number; position: string }> {
  const rows = (await apiSystem.dataSource.query(
    `SELECT events_applied::int AS events, position FROM projection_checkpoints WHERE name = 'commission-ledger'`,
  )) as Array<{ events: number; position: string }>;
  return rows[0] ?? { events: 0, position: '-1/-1' };
}

it('resumes after kill -9 between batches and equals a clean rebuild', async () => {
  const store = PostgresEventStore.connect(db.url);
  const head = await store.headPosition();
  await store.close();
  const total = 7 + 40; // reference data events + orders

  // Given a projector that kills itself after its 3rd batch of 5 events...
  const crashing = startApp('projector', {
    DATABASE_URL: db.url,
    PROJECTION_BATCH_SIZE: '5',
    PROJECTOR_CRASH_AFTER_BATCHES: '3',
  });
  const { signal } = await crashing.exited;
  expect(signal).toBe('SIGKILL');
  const partial = await checkpoint();
  expect(partial.events).toBe(15); // three whole batches, no half batch
  const partialRows = (await snapshot()) as { entries: unknown[] };
  expect(partialRows.entries.length).toBeLessThan(total);

  // ...when it starts again, it resumes from its checkpoint and catches up.
  const resumed = startApp('projector', { DATABASE_URL: db.url, PROJECTION_BATCH_SIZE: '5' });
  try {
    await apiSystem.engine.waitUntilCaughtUp(60_000);
    expect((await checkpoint()).events).toBe(total);
    const incremental = await snapshot();

    // Then a rebuild from zero (picked up by the running projector) gives identical read models.
    await apiSystem.engine.rebuild('commission-ledger');
    for (let i = 0; i < 600; i++) {
      const c = await checkpoint();
      if (c.events === total) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await checkpoint()).events).toBe(total);
    expect(await snapshot()).toEqual(incremental);
    expect((incremental as { entries: unknown[] }).entries.length).toBe(80); // 40 orders × 2 credits
    expect(head.major).toBeGreaterThan(0n);
  } finally {
    resumed.child.kill('SIGTERM');
    await resumed.exited;
  }
});
