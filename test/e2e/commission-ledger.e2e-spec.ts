/**
 * The vertical slice through HTTP on real PostgreSQL: plans, salespeople, assignments, customers
 * and orders → SaleBooked → commission ledger → GET ledger (domain.md §6, example 1).
 */
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import { adminToken, Api, givenReferenceData, TEST_SECRET } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
let system: RunningSystem;
let api: Api;

beforeAll(async () => {
  db = await createTestDatabase();
  system = await startSystem({
    role: 'all',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
    runner: { retryDelayMs: 100 },
  });
  api = new Api(system.url!, adminToken());
  await givenReferenceData(api);
});

afterAll(async () => {
  await system?.close();
  await db?.drop();
});

async function headPosition(): Promise<string | null> {
  const r = await api.get<{ items: Array<{ headPosition: string | null }> }>('/api/v1/projections');
  return r.body.items[0]!.headPosition;
}

const O1 = {
  orderId: 'O1',
  customerId: 'C1',
  amount: { amount: 10000000, currency: 'USD' },
  bookedAt: '2026-01-10T00:00:00Z',
};

describe('example 1: a sale of 100,000.00 USD booked 2026-01-10 under P1 (BOOKING, 10 %)', () => {
  let position: string;

  it('is accepted with 201 and the position of its event', async () => {
    const r = await api.post('/api/v1/orders', O1);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: 'O1', streamId: 'order-O1', position: expect.stringMatching(/^\d+$/) });
    position = r.body.position as string;
  });

  it('earns alice 600,000 and bob 400,000 in 2026-01 (read-your-writes)', async () => {
    const consistent = { 'X-Consistent-Position': position };
    const alice = await api.get(`/api/v1/salespeople/alice/ledger?period=2026-01`, consistent);
    expect(alice.status).toBe(200);
    expect(alice.body).toMatchObject({
      salespersonId: 'alice',
      period: '2026-01',
      currency: 'USD',
      opening: 0,
      earned: 600000,
      clawedBack: 0,
      adjustments: 0,
      paidOut: 0,
      closing: 600000,
    });
    const entries = alice.body.entries as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      type: 'EARNED',
      amount: 600000,
      currency: 'USD',
      period: '2026-01',
      originalPeriod: null,
      orderId: 'O1',
      sourcePosition: position,
      occurredAt: '2026-01-10T00:00:00.000Z',
      explanation: { trigger: 'SALE_BOOKED', baseAmount: 10000000, splitBps: 6000, rateBps: 1000, planId: 'P1' },
    });

    const bob = await api.get(`/api/v1/salespeople/bob/ledger?period=2026-01`, consistent);
    expect(bob.body).toMatchObject({ earned: 400000, closing: 400000 });
  });

  it('carries the balance forward: February opens and closes at 600,000 for alice', async () => {
    const feb = await api.get(`/api/v1/salespeople/alice/ledger?period=2026-02`);
    expect(feb.body).toMatchObject({ opening: 600000, earned: 0, closing: 600000, entries: [] });
  });

  it('knownAt before the sale was recorded shows what the system knew then: nothing', async () => {
    const r = await api.get(`/api/v1/salespeople/alice/ledger?period=2026-01&knownAt=2020-01-01T00:00:00Z`);
    expect(r.body).toMatchObject({ earned: 0, closing: 0, entries: [] });
  });

  it('keeps entry ids stable across a rebuild (built beside the live tables, then switched)', async () => {
    const before = await api.get(`/api/v1/salespeople/alice/ledger?period=2026-01`);
    const generation = await ledgerGeneration();
    const rebuild = await api.post('/api/v1/projections/commission-ledger/rebuild', {});
    expect(rebuild).toMatchObject({ status: 202, body: { name: 'commission-ledger', status: 'rebuilding' } });
    const report = await waitForRebuild();
    expect(report).toMatchObject({ lag: 0, rebuild: { state: 'done', error: null } });
    expect(report.rebuild?.eventsApplied).toBe(report.eventsApplied);
    expect(await ledgerGeneration()).toBe(generation + 1); // the new tables really replaced the old
    const after = await api.get(`/api/v1/salespeople/alice/ledger?period=2026-01`);
    expect(after.body).toEqual(before.body);
  });

  it('never rebuilds the log seals (422) and answers 404 for an unknown projection', async () => {
    const seals = await api.post('/api/v1/projections/log-seals/rebuild', {});
    expect(seals.body).toMatchObject({ status: 422, code: 'NOT_REBUILDABLE' });
    expect((await api.post('/api/v1/projections/nope/rebuild', {})).status).toBe(404);
  });
});

async function ledgerGeneration(): Promise<number> {
  const rows = (await system.dataSource.query(
    `SELECT generation FROM projection_checkpoints WHERE name = 'commission-ledger'`,
  )) as Array<{ generation: number }>;
  return rows[0]!.generation;
}

interface ProjectionItem {
  name: string;
  lag: number;
  eventsApplied: number;
  rebuild: { state: string; eventsApplied: number; error: string | null } | null;
}

/** After a rebuild request, wait until GET /projections says the rebuild is done. */
async function waitForRebuild(): Promise<ProjectionItem> {
  for (let i = 0; i < 500; i++) {
    const r = await api.get<{ items: ProjectionItem[] }>('/api/v1/projections');
    const p = r.body.items.find((item) => item.name === 'commission-ledger')!;
    if (p.rebuild?.state === 'done' || p.rebuild?.state === 'failed') return p;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the rebuild did not finish');
}

describe('rounding (domain.md §6): 333 minor units, split 3333 bps, rate 1000 bps → 11', () => {
  it('rounds half up once per entry', async () => {
    const r = await api.post('/api/v1/orders', {
      orderId: 'O-round',
      customerId: 'C1',
      amount: { amount: 333, currency: 'USD' },
      bookedAt: '2026-03-05T12:00:00Z',
      salesCredits: [
        { salespersonId: 'alice', splitBps: 3333 },
        { salespersonId: 'bob', splitBps: 6667 },
      ],
    });
    expect(r.status).toBe(201);
    const h = { 'X-Consistent-Position': r.body.position as string };
    const alice = await api.get(`/api/v1/salespeople/alice/ledger?period=2026-03`, h);
    expect(alice.body).toMatchObject({ earned: 11 });
    const bob = await api.get(`/api/v1/salespeople/bob/ledger?period=2026-03`, h);
    expect(bob.body).toMatchObject({ earned: 22 }); // 333 × 6667 × 1000 / 10^8 = 22.2011 → 22
  });
});

describe('commands are idempotent by their own id', () => {
  it('the same command with the same body answers as the first time and appends nothing', async () => {
    const head = await headPosition();
    const first = await api.post('/api/v1/orders', O1);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'O1', streamId: 'order-O1' });
    expect(await headPosition()).toBe(head);
  });

  it('the same id with another body is 409 IDEMPOTENCY_CONFLICT and appends nothing', async () => {
    const head = await headPosition();
    const r = await api.post('/api/v1/orders', { ...O1, amount: { amount: 1, currency: 'USD' } });
    expect(r.status).toBe(409);
    expect(r.contentType).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_CONFLICT' });
    expect(await headPosition()).toBe(head);
  });

  it('concurrent identical bookings of a new order give one event and the same answer', async () => {
    const body = { ...O1, orderId: 'O-race' };
    const replies = await Promise.all(Array.from({ length: 6 }, () => api.post('/api/v1/orders', body)));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.position)).size).toBe(1);
    const stream = await system.store.readStream('order-O-race');
    expect(stream).toHaveLength(1);
  });
});

describe('refusals are problem+json and append nothing', () => {
  const cases: Array<[string, string, unknown, number, string]> = [
    ['unknown customer', '/api/v1/orders', { ...O1, orderId: 'O-x1', customerId: 'nobody' }, 404, 'NOT_FOUND'],
    [
      'credits not totalling 10000',
      '/api/v1/orders',
      { ...O1, orderId: 'O-x2', salesCredits: [{ salespersonId: 'alice', splitBps: 5000 }] },
      422,
      'SPLITS_MUST_TOTAL_10000',
    ],
    [
      'a sale in another currency than the plan',
      '/api/v1/orders',
      { ...O1, orderId: 'O-x3', amount: { amount: 5, currency: 'EUR' } },
      422,
      'CURRENCY_MISMATCH',
    ],
    [
      'a zero amount',
      '/api/v1/orders',
      { ...O1, orderId: 'O-x4', amount: { amount: 0, currency: 'USD' } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a fractional amount',
      '/api/v1/orders',
      { ...O1, orderId: 'O-x5', amount: { amount: 10.5, currency: 'USD' } },
      400,
      'VALIDATION_FAILED',
    ],
    ['an unknown field', '/api/v1/orders', { ...O1, orderId: 'O-x6', discount: 5 }, 400, 'VALIDATION_FAILED'],
    ['malformed JSON', '/api/v1/orders', '{"orderId":', 400, 'VALIDATION_FAILED'],
    ['a JSON array', '/api/v1/orders', '[1,2]', 400, 'VALIDATION_FAILED'],
    [
      'an unknown plan',
      '/api/v1/salespeople/alice/plan-assignments',
      { assignmentId: 'A-x', planId: 'nope', effectiveFrom: '2026-01-01' },
      404,
      'NOT_FOUND',
    ],
    [
      'an unknown salesperson',
      '/api/v1/salespeople/ghost/plan-assignments',
      { assignmentId: 'A-y', planId: 'P1', effectiveFrom: '2026-01-01' },
      404,
      'NOT_FOUND',
    ],
    [
      'an impossible date',
      '/api/v1/salespeople',
      { salespersonId: 'z', name: 'z', hiredOn: '2026-02-30' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a bad path id',
      '/api/v1/salespeople/%20bad%20/plan-assignments',
      { assignmentId: 'A-z', planId: 'P1', effectiveFrom: '2026-01-01' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a rate above 100 %',
      '/api/v1/plans',
      {
        planId: 'Px',
        name: 'x',
        currency: 'USD',
        basis: 'BOOKING',
        rateBps: 10001,
        clawback: { windowDays: 1, percentBps: 1 },
      },
      400,
      'VALIDATION_FAILED',
    ],
  ];

  it.each(cases)('%s', async (_name, path, body, status, code) => {
    const head = await headPosition();
    const r = await api.post(path, body);
    expect(r.status).toBe(status);
    expect(r.contentType).toContain('application/problem+json');
    expect(r.body).toMatchObject({
      status,
      code,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    if (status === 400 && typeof body === 'object' && !Array.isArray(body)) {
      expect(Array.isArray(r.body.errors)).toBe(true);
    }
    expect(await headPosition()).toBe(head);
  });

  it('an unknown route is a problem+json 404', async () => {
    const r = await api.get('/api/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the ledger of an unknown salesperson is 404 and a bad period is 400', async () => {
    expect((await api.get('/api/v1/salespeople/ghost/ledger?period=2026-01')).status).toBe(404);
    const bad = await api.get('/api/v1/salespeople/alice/ledger?period=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'period' }] });
  });
});

describe('a salesperson without an applicable plan', () => {
  it('does not block the sale, earns nothing and is listed as a NO_PLAN exception', async () => {
    await api.post('/api/v1/salespeople', { salespersonId: 'dave', name: 'Dave', hiredOn: '2025-01-01' });
    const r = await api.post('/api/v1/orders', {
      ...O1,
      orderId: 'O-noplan',
      salesCredits: [
        { salespersonId: 'alice', splitBps: 5000 },
        { salespersonId: 'dave', splitBps: 5000 },
      ],
      bookedAt: '2026-04-01T00:00:00Z',
    });
    expect(r.status).toBe(201);
    const dave = await api.get('/api/v1/salespeople/dave/ledger?period=2026-04', {
      'X-Consistent-Position': r.body.position as string,
    });
    expect(dave.body).toMatchObject({ earned: 0, entries: [] });
    const rows = (await system.dataSource.query(
      `SELECT code, order_id, salesperson_id FROM ledger_exceptions`,
    )) as unknown[];
    expect(rows).toEqual([{ code: 'NO_PLAN', order_id: 'O-noplan', salesperson_id: 'dave' }]);
  });
});

describe('operations endpoints', () => {
  it('GET /health is ready with the store and database up', async () => {
    const r = await api.get('/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ready: true,
      eventStore: { kind: 'postgres', state: 'up' },
      database: { state: 'up' },
    });
  });

  it('GET /api/v1/projections reports checkpoint and lag', async () => {
    await system.engine.waitUntilCaughtUp();
    const r = await api.get<{ items: Array<Record<string, unknown>> }>('/api/v1/projections');
    expect(r.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'commission-ledger', lag: 0, owner: true, lastError: null, state: 'live' }),
        expect.objectContaining({ name: 'track-to-cash', lag: 0, owner: true, lastError: null, state: 'live' }),
      ]),
    );
  });

  it('serves the OpenAPI document with the commands', async () => {
    const r = await api.get<{ paths: Record<string, unknown> }>('/docs-json');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/orders', '/api/v1/plans', '/api/v1/salespeople/{id}/ledger', '/health']),
    );
  });

  it('GET /metrics speaks Prometheus text', async () => {
    const r = await api.get('/metrics');
    expect(r.status).toBe(200);
    expect(String(r.body)).toContain('projection_lag_events{projection="commission-ledger"}');
  });
});
