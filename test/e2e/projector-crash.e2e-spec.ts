/**
 * A projector killed (SIGKILL) between batches and started again ends with read models identical
 * to a clean rebuild: nothing lost, nothing applied twice.
 */
import { Client } from 'pg';
import { PostgresEventStore } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { allProjectors } from '../../libs/bootstrap/src/schema';
import { readSettings } from '../../libs/platform/src/config/settings';
import { adminToken, Api, givenReferenceData, TEST_SECRET } from '../support/http';
import { startApp } from '../support/processes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
let apiSystem: RunningSystem;

beforeAll(async () => {
  db = await createTestDatabase();
  // The API alone: no projector runs in this process.
  apiSystem = await startSystem({
    role: 'api',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
  });
  const api = new Api(apiSystem.url!, adminToken());
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
      orderCredits: await q('SELECT * FROM ledger_order_credits ORDER BY order_id, salesperson_id, override_of'),
      ttcOrders: await q('SELECT * FROM ttc_orders ORDER BY order_id'),
      ttcCredits: await q('SELECT * FROM ttc_order_credits ORDER BY order_id, salesperson_id'),
      ttcMilestones: await q(
        'SELECT order_id, type, at, amount, due_date, refund_part, ref, recorded_at FROM ttc_milestones ORDER BY seq',
      ),
      ttcSalespeople: await q('SELECT * FROM ttc_salespeople ORDER BY salesperson_id'),
      dashFacts: await q(
        'SELECT salesperson_id, period, currency, business_unit, kind, amount, recorded_at FROM dash_facts ORDER BY seq',
      ),
      dashCredits: await q('SELECT * FROM dash_order_credits ORDER BY order_id, salesperson_id'),
    };
  } finally {
    await c.end();
  }
}

const PROJECTIONS = ['commission-ledger', 'track-to-cash', 'dashboard'];
/** Every runner of the projector process (log-seals included): each one's commits count towards the crash. */
const RUNNERS = allProjectors().map((p) => p.name);

/** Events applied by each projection. */
async function applied(names = PROJECTIONS): Promise<number[]> {
  const rows = (await apiSystem.dataSource.query(
    `SELECT name, events_applied::int AS events FROM projection_checkpoints WHERE name = ANY($1::text[])`,
    [names],
  )) as Array<{ name: string; events: number }>;
  return names.map((n) => rows.find((r) => r.name === n)?.events ?? 0);
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
  const partial = await applied(RUNNERS);
  // whole batches of 5 only (the kill comes after the 3rd commit; each other runner may just have
  // committed one more), and far from done
  const sum = partial.reduce((a, b) => a + b, 0);
  expect(sum).toBeGreaterThanOrEqual(15);
  expect(sum).toBeLessThanOrEqual(15 + 5 * (RUNNERS.length - 1));
  for (const n of partial) expect(n % 5).toBe(0);
  const partialRows = (await snapshot()) as { entries: unknown[] };
  expect(partialRows.entries.length).toBeLessThan(total);

  // ...when it starts again, it resumes from its checkpoint and catches up.
  const resumed = startApp('projector', { DATABASE_URL: db.url, PROJECTION_BATCH_SIZE: '5' });
  try {
    await apiSystem.engine.waitUntilCaughtUp(60_000);
    expect(await applied()).toEqual(PROJECTIONS.map(() => total));
    const incremental = await snapshot();

    // Then a rebuild from zero (picked up by the running projector) gives identical read models.
    for (const name of PROJECTIONS) await apiSystem.engine.rebuild(name);
    for (let i = 0; i < 600; i++) {
      if ((await applied()).every((n) => n === total)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await applied()).toEqual(PROJECTIONS.map(() => total));
    expect(await snapshot()).toEqual(incremental);
    expect((incremental as { entries: unknown[] }).entries.length).toBe(80); // 40 orders × 2 credits
    expect(head.major).toBeGreaterThan(0n);
  } finally {
    resumed.child.kill('SIGTERM');
    await resumed.exited;
  }
});
