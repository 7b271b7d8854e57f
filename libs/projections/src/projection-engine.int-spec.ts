import { CommissionLedgerProjector } from '../../commissions/src/commission-ledger/commission-ledger.projector';
import { newEvent } from '../../eventsourcing/src/testing/event-store.contract';
import { PostgresEventStore } from '../../eventstore-postgres/src/postgres-event-store';
import { createDataSource } from '../../platform/src/database/data-source';
import { APP_SCHEMA } from '../../bootstrap/src/schema';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ProjectionEngine } from './projection-engine';
import type { Projector } from './projector';
import type { DataSource } from 'typeorm';

let db: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  store = PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
  dataSource = createDataSource(db.url, APP_SCHEMA);
  await dataSource.initialize();
});
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const engine = () =>
  new ProjectionEngine(
    [new CommissionLedgerProjector()],
    store,
    dataSource,
    { connectionString: db.url },
    { retryDelayMs: 100, batchSize: 7 },
  );

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function appendSales(from: number, count: number): Promise<bigint> {
  let last = 0n;
  for (let i = from; i < from + count; i++) {
    const r = await store.appendToStream(`order-E${i}`, [
      newEvent(
        'SaleBooked',
        {
          orderId: `E${i}`,
          customerId: 'C',
          amount: { amount: 1000, currency: 'USD' },
          bookedAt: '2026-01-10T00:00:00.000Z',
          salesCredits: [{ salespersonId: 'erin', splitBps: 10000 }],
          paymentTermsDays: 30,
          dueDate: '2026-02-09',
          businessUnit: null,
          lines: [],
        },
        '2026-01-10T00:00:00.000Z',
      ),
    ]);
    last = r.globalPosition;
  }
  return last;
}

it('runs each projection in one instance at a time, and a standby takes over when the owner stops', async () => {
  await store.appendToStream('plan-PE', [
    newEvent('PlanCreated', {
      planId: 'PE',
      name: 'E',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  ]);
  await store.appendToStream('salesperson-erin', [
    newEvent('SalespersonRegistered', {
      salespersonId: 'erin',
      name: 'Erin',
      managerId: null,
      teamId: null,
      hiredOn: '2025-01-01',
    }),
    newEvent('PlanAssigned', { assignmentId: 'AE', salespersonId: 'erin', planId: 'PE', effectiveFrom: '2026-01-01' }),
  ]);
  const a = engine();
  const b = engine();
  await a.start();
  await b.start();
  try {
    await appendSales(0, 30);
    await a.waitUntilCaughtUp();
    const owners = [(await a.status())[0]!.owner, (await b.status())[0]!.owner];
    expect(owners.filter(Boolean)).toHaveLength(1);
    const count = async () =>
      Number(((await dataSource.query('SELECT count(*)::int AS n FROM ledger_entries')) as Array<{ n: number }>)[0]!.n);
    expect(await count()).toBe(30);

    const [owner, standby] = owners[0] ? [a, b] : [b, a];
    await owner.stop();
    const last = await appendSales(30, 10);
    expect(await standby.waitFor(['commission-ledger'], last, 10_000)).toBe('reached');
    expect(await count()).toBe(40);
    expect((await standby.status())[0]).toMatchObject({ owner: true, lag: 0, eventsApplied: 43 });
  } finally {
    await a.stop();
    await b.stop();
  }
});

it('reports a position it has not reached as a timeout, and an unknown position as such', async () => {
  const idle = engine(); // not started: nothing applies new events
  const last = await appendSales(100, 1);
  expect(await idle.waitFor(['commission-ledger'], last, 200)).toBe('timeout');
  expect(await idle.waitFor(['commission-ledger'], 999_999_999n, 200)).toBe('unknown_position');
});

it('a failing projector stops that projection, reports the error, and resumes from the same event after recovery', async () => {
  await dataSource.query('CREATE TABLE poison_seen (event_id uuid PRIMARY KEY)');
  let poisoned = true;
  const projector: Projector = {
    name: 'poison-test',
    tables: ['poison_seen'],
    async apply(events, manager) {
      for (const event of events) {
        if (poisoned && event.streamId === 'order-POISON') throw new Error('poison pill');
        await manager.query('INSERT INTO poison_seen (event_id) VALUES ($1)', [event.id]);
      }
    },
  };
  const e = new ProjectionEngine([projector], store, dataSource, { connectionString: db.url }, { retryDelayMs: 50 });
  const poison = await store.appendToStream('order-POISON', [newEvent('Other', {})]);
  await e.start();
  try {
    await until(async () => (await e.status())[0]!.lastError === 'poison pill');
    const before = (await e.status())[0]!;
    expect(before.lag).toBeGreaterThan(0);
    expect(before.state).toBe('failed');
    poisoned = false;
    await until(async () => (await e.status())[0]!.lag === 0);
    expect((await e.status())[0]!.lastError).toBeNull();
    const seen = (await dataSource.query('SELECT count(*)::int AS n FROM poison_seen')) as Array<{ n: number }>;
    const total = Number(
      ((await dataSource.query('SELECT count(*)::int AS n FROM es_events')) as Array<{ n: number }>)[0]!.n,
    );
    expect(seen[0]!.n).toBe(total); // every event once, the poisonous one included
    expect((await e.status())[0]!.position).toBe(poison.globalPosition.toString());
  } finally {
    await e.stop();
  }
});
