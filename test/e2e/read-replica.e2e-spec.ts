/**
 * DATABASE_READ_URL: read-model queries (ledger, clawbacks, lineage, exceptions, track-to-cash, aging,
 * dashboard) go to the read
 * connection, and X-Consistent-Position waits until the checkpoint is visible THERE.
 *
 * A real streaming replica cannot be set up inside the test server, so the "replica" is a stand-in
 * that can be told apart from the primary and lags it on purpose: DATABASE_READ_URL names the same
 * database with `options=-c search_path=replica -c default_transaction_read_only=on`. Its tables are
 * copies of every public table in a schema `replica`, refreshed only when the test calls
 * `replicate()` (one REPEATABLE READ snapshot copied in one transaction, as a replica replays whole
 * transactions). Every assertion below fails if a query or the wait reads the primary instead.
 */
import { Client } from 'pg';
import { type RunningSystem, startSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import { adminToken, Api, givenReferenceData, type Reply, TEST_SECRET } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
let system: RunningSystem;
let api: Api;
let primary: Client;
let tables: string[] = [];

/** The primary's state, copied to the replica schema in one snapshot and one transaction. */
async function replicate(): Promise<void> {
  await primary.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  try {
    for (const t of tables) {
      await primary.query(`DELETE FROM replica.${t}`);
      await primary.query(`INSERT INTO replica.${t} SELECT * FROM public.${t}`);
    }
    await primary.query('COMMIT');
  } catch (error) {
    await primary.query('ROLLBACK');
    throw error;
  }
}

async function ok(reply: Promise<Reply>): Promise<string> {
  const r = await reply;
  if (r.status !== 201) throw new Error(`expected 201, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.position as string;
}

/** A GET and how long it took. */
async function timed<T>(get: Promise<Reply<T>>): Promise<{ reply: Reply<T>; ms: number }> {
  const t0 = Date.now();
  const reply = await get;
  return { reply, ms: Date.now() - t0 };
}

beforeAll(async () => {
  db = await createTestDatabase();
  primary = new Client({ connectionString: db.url });
  await primary.connect();
  tables = (
    await primary.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).rows.map((r) => r.table_name);
  await primary.query('CREATE SCHEMA replica');
  // Plain copies: no constraints, identities or generated columns, so rows copy as they are.
  for (const t of tables) await primary.query(`CREATE TABLE replica.${t} (LIKE public.${t})`);

  const readUrl = new URL(db.url);
  readUrl.searchParams.set('options', '-c search_path=replica -c default_transaction_read_only=on');
  system = await startSystem({
    role: 'all',
    settings: {
      ...readSettings({}),
      rateLimitPerSecond: 0,
      databaseUrl: db.url,
      databaseReadUrl: readUrl.toString(),
      authJwtSecret: TEST_SECRET,
    },
    port: 0,
    logger: false,
  });
  api = new Api(system.url!, adminToken());
});

afterAll(async () => {
  await system?.close();
  await primary?.end();
  await db?.drop();
});

it('uses a second, read-only connection for the read models, named commissions-all-read', async () => {
  expect(system.readDataSource).not.toBe(system.dataSource);
  await expect(system.readDataSource.query('CREATE TABLE replica.x (id int)')).rejects.toThrow(/read-only/);
  const names = (
    await primary.query<{ application_name: string }>(
      'SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = current_database()',
    )
  ).rows.map((r) => r.application_name);
  expect(names).toEqual(expect.arrayContaining(['commissions-all', 'commissions-all-read']));
});

it('answers the ledger from the replica, and X-Consistent-Position waits for the replica, not the primary', async () => {
  await givenReferenceData(api);
  const booked = await ok(
    api.post('/api/v1/orders', {
      orderId: 'O1',
      customerId: 'C1',
      amount: { amount: 10_000_000, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  await system.engine.waitUntilCaughtUp(30_000, ['commission-ledger']);
  // The primary has alice's entry; the replica has replayed nothing yet.
  const onPrimary = await primary.query(`SELECT 1 FROM public.ledger_entries WHERE salesperson_id = 'alice'`);
  expect(onPrimary.rowCount).toBe(1);

  // Without the header the query answers what the replica has: alice is unknown there.
  expect((await api.get('/api/v1/salespeople/alice/ledger?period=2026-01')).status).toBe(404);
  // So do track-to-cash, aging and the dashboard: the order is not on the replica yet.
  await system.engine.waitUntilCaughtUp(30_000, ['track-to-cash', 'dashboard']);
  expect((await api.get('/api/v1/orders/O1/track-to-cash')).status).toBe(404);
  expect((await api.get<{ items: unknown[] }>('/api/v1/track-to-cash')).body.items).toEqual([]);
  expect((await api.get<{ items: unknown[] }>('/api/v1/aging?groupBy=customer')).body.items).toEqual([]);
  const dashboard = await api.get<{ items: Array<{ achieved: number }> }>('/api/v1/dashboard?period=2026-01');
  expect(dashboard.body.items.reduce((a, r) => a + r.achieved, 0)).toBe(0);

  // With it, the query waits for the replica (the primary reached the position long ago), then 503.
  const behind = await timed(
    api.get('/api/v1/salespeople/alice/ledger?period=2026-01', { 'X-Consistent-Position': booked }),
  );
  expect(behind.reply.status).toBe(503);
  expect(behind.reply.body).toMatchObject({ code: 'PROJECTION_BEHIND' });
  expect(behind.ms).toBeGreaterThanOrEqual(4900);

  // The replica catches up while a request waits: it answers 200 with the fresh figures.
  const waiting = timed(
    api.get<{ earned: number; entries: unknown[] }>('/api/v1/salespeople/alice/ledger?period=2026-01', {
      'X-Consistent-Position': booked,
    }),
  );
  await new Promise((r) => setTimeout(r, 400)); // only so the request is waiting when the replica moves
  await replicate();
  const caughtUp = await waiting;
  expect(caughtUp.reply.status).toBe(200);
  expect(caughtUp.reply.body.earned).toBe(600_000);
  expect((await api.get('/api/v1/orders/O1/track-to-cash')).status).toBe(200);
  const after = await api.get<{ items: Array<{ achieved: number }> }>('/api/v1/dashboard?period=2026-01');
  expect(after.body.items.reduce((a, r) => a + r.achieved, 0)).toBe(10_000_000);
  expect(caughtUp.reply.body.entries).toHaveLength(1);
  expect(caughtUp.ms).toBeGreaterThanOrEqual(400);
});

it('answers clawbacks, lineage and exceptions from the replica too', async () => {
  await ok(
    api.post('/api/v1/salespeople', { salespersonId: 'dave', name: 'Dave', teamId: 'east', hiredOn: '2025-01-01' }),
  );
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'C2',
      name: 'Nobody’s plan',
      paymentTermsDays: 30,
      salesCredits: [{ salespersonId: 'dave', splitBps: 10000 }],
    }),
  );
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'O2',
      customerId: 'C2',
      amount: { amount: 5_000, currency: 'USD' },
      bookedAt: '2026-01-12T00:00:00Z',
    }),
  );
  const cancelled = await ok(
    api.post('/api/v1/orders/O1/cancellations', {
      cancellationId: 'CAN-1',
      cancelledAt: '2026-02-01T00:00:00Z',
      reason: 'changed their mind',
    }),
  );
  await system.engine.waitUntilCaughtUp(30_000, ['commission-ledger']);
  const clawback = (
    await primary.query<{ entry_id: string }>(
      `SELECT entry_id FROM public.ledger_entries WHERE salesperson_id = 'alice' AND type = 'CLAWBACK'`,
    )
  ).rows[0];
  expect(clawback).toBeDefined();
  const noPlan = await primary.query(`SELECT 1 FROM public.ledger_exceptions WHERE salesperson_id = 'dave'`);
  expect(noPlan.rowCount).toBe(1);

  // The primary has them; the replica (as of the first order) does not.
  type Items = { items: Array<Record<string, unknown>> };
  expect((await api.get<Items>('/api/v1/clawbacks?salespersonId=alice')).body.items).toEqual([]);
  expect((await api.get<Items>('/api/v1/exceptions')).body.items).toEqual([]);
  expect((await api.get(`/api/v1/ledger-entries/${clawback!.entry_id}/lineage`)).status).toBe(404);

  await replicate();
  const consistent = { 'X-Consistent-Position': cancelled };
  const clawbacks = await api.get<Items>('/api/v1/clawbacks?salespersonId=alice', consistent);
  expect(clawbacks.status).toBe(200);
  expect(clawbacks.body.items).toEqual([expect.objectContaining({ entryId: clawback!.entry_id, amount: 600_000 })]);
  const exceptions = await api.get<Items>('/api/v1/exceptions', consistent);
  expect(exceptions.body.items).toEqual([expect.objectContaining({ code: 'NO_PLAN', salespersonId: 'dave' })]);
  const lineage = await api.get<{ entry: { entryId: string }; sourceEvent: { type: string } | null }>(
    `/api/v1/ledger-entries/${clawback!.entry_id}/lineage`,
    consistent,
  );
  expect(lineage.status).toBe(200);
  expect(lineage.body.entry.entryId).toBe(clawback!.entry_id);
  // The source event comes from the event store (the primary), not the replica.
  expect(lineage.body.sourceEvent?.type).toBe('OrderCancelled');
});
