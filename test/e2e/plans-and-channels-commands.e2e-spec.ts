/**
 * Issue 10, the write side over HTTP (docs/plans-and-channels.md): plans with tiers, override,
 * holdback and channel terms (each recorded only when given; bad tiers 400 naming `tiers`, nothing
 * appended); distributors (a customer with `distributor: true`, its orders `toDistributor`);
 * secondary sales (credits of the distributor on soldAt, 404/422/400/409, idempotent repeat);
 * quotas per business unit (their own stream); recalculation requests (201/404/400). Every event
 * read back from GET /api/v1/streams/{streamId}/events and validated against its published schema.
 */
import { EventSchemaValidator } from '../../libs/feed/src/event-schemas/testing/event-schema-validator';
import { givenReferenceData, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

interface StreamEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly actor: string; readonly commandType: string; readonly commandId: string };
}
interface Problem {
  readonly code: string;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
}

const USD = (amount: number) => ({ amount, currency: 'USD' });
const EVEN = [834, 833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833];
const validator = new EventSchemaValidator();
let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
  await givenReferenceData(t.api); // P1 (USD, 10 %), alice and bob on P1 from 2026-01-01, customer C1 (alice 60 %, bob 40 %)
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** The stream's events, each checked against the published schema of its type and version. */
async function streamEvents(streamId: string): Promise<StreamEvent[]> {
  const reply = await t.api.get<{ items: StreamEvent[] }>(`/api/v1/streams/${streamId}/events`);
  expect(reply.status).toBe(200);
  for (const e of reply.body.items) {
    expect({ at: `${e.type}@${streamId}`, errors: validator.dataErrors(e.type, e.schemaVersion, e.data) }).toEqual({
      at: `${e.type}@${streamId}`,
      errors: [],
    });
  }
  return reply.body.items;
}

/** A stream nothing was appended to: GET answers 404. */
async function expectNoStream(streamId: string): Promise<void> {
  expect((await t.api.get(`/api/v1/streams/${streamId}/events`)).status).toBe(404);
}

async function eventCount(): Promise<number> {
  const [row] = (await t.system.dataSource.query('SELECT count(*)::int AS n FROM es_events')) as Array<{ n: number }>;
  return row!.n;
}

/** Sends a request that must be refused, and checks the answer and that nothing was appended. */
async function refused(request: Promise<Reply>, status: number, code: string): Promise<Problem> {
  const before = await eventCount();
  const reply = await request;
  expect([reply.status, (reply.body as unknown as Problem).code]).toEqual([status, code]);
  expect(reply.contentType).toMatch(/^application\/problem\+json/);
  expect(await eventCount()).toBe(before);
  return reply.body as unknown as Problem;
}

const plan = (planId: string, extra: Record<string, unknown> = {}) => ({
  planId,
  name: planId,
  currency: 'USD',
  basis: 'BOOKING',
  rateBps: 1000,
  clawback: { windowDays: 90, percentBps: 10000 },
  ...extra,
});
const BASE_FIELDS = ['planId', 'name', 'currency', 'basis', 'rateBps', 'clawback'];
const TIERS = [
  { fromAttainmentBps: 0, rateBps: 1000 },
  { fromAttainmentBps: 10000, rateBps: 1500 },
  { fromAttainmentBps: 15000, rateBps: 2000 },
];

describe('POST /api/v1/plans with the optional terms', () => {
  it('given every optional term, then PlanCreated carries each exactly as given', async () => {
    const terms = {
      tiers: TIERS,
      overrideRateBps: 200,
      holdbackBps: 2000,
      primaryDistributorSalesEarn: true,
      secondaryRateBps: 800,
    };
    await t.ok(t.api.post('/api/v1/plans', plan('PT-ALL', terms)));
    const [created, ...more] = await streamEvents('plan-PT-ALL');
    expect(more).toEqual([]);
    expect(created).toMatchObject({ type: 'PlanCreated', schemaVersion: 1, data: plan('PT-ALL', terms) });
    expect(Object.keys(created!.data).sort()).toEqual([...BASE_FIELDS, ...Object.keys(terms)].sort());
  });

  it.each([
    ['tiers', TIERS],
    ['overrideRateBps', 150],
    ['holdbackBps', 0],
    ['primaryDistributorSalesEarn', false],
    ['secondaryRateBps', 500],
  ] as const)('given only %s, then PlanCreated carries it and no other optional term', async (field, value) => {
    const planId = `PT-${field}`;
    await t.ok(t.api.post('/api/v1/plans', plan(planId, { [field]: value })));
    const [created] = await streamEvents(`plan-${planId}`);
    expect(created!.data[field]).toEqual(value);
    expect(Object.keys(created!.data).sort()).toEqual([...BASE_FIELDS, field].sort());
  });

  it('given none of them, then PlanCreated is as before issue 10', async () => {
    await t.ok(t.api.post('/api/v1/plans', plan('PT-NONE')));
    const [created] = await streamEvents('plan-PT-NONE');
    expect(Object.keys(created!.data).sort()).toEqual([...BASE_FIELDS].sort());
  });

  it.each([
    ['an empty list', []],
    [
      '21 tiers',
      Array.from({ length: 21 }, (_, i) => ({ fromAttainmentBps: i * 100, rateBps: i === 0 ? 1000 : 1200 })),
    ],
    ['a first tier not from 0', [{ fromAttainmentBps: 5000, rateBps: 1000 }]],
    ['a first tier at another rate than rateBps', [{ fromAttainmentBps: 0, rateBps: 1200 }]],
    [
      'fromAttainmentBps not strictly ascending',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 10000, rateBps: 1500 },
        { fromAttainmentBps: 10000, rateBps: 2000 },
      ],
    ],
    [
      'fromAttainmentBps over 1,000,000',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 1_000_001, rateBps: 1500 },
      ],
    ],
    [
      'a rate over 10000',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 10000, rateBps: 10001 },
      ],
    ],
    ['a tier that is not an object', [{ fromAttainmentBps: 0, rateBps: 1000 }, 7]],
    ['not a list', { fromAttainmentBps: 0, rateBps: 1000 }],
  ])('refuses %s: 400 VALIDATION_FAILED naming tiers, nothing appended', async (_, tiers) => {
    const problem = await refused(t.api.post('/api/v1/plans', plan('PT-BAD', { tiers })), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.length).toBeGreaterThan(0);
    for (const e of problem.errors ?? []) expect(e.field).toMatch(/^tiers(\.|$)/);
    await expectNoStream('plan-PT-BAD');
  });

  it.each([
    ['overrideRateBps', 10001],
    ['holdbackBps', -1],
    ['secondaryRateBps', 1.5],
    ['primaryDistributorSalesEarn', 'yes'],
  ])('refuses %s = %p: 400 naming the field', async (field, value) => {
    const problem = await refused(
      t.api.post('/api/v1/plans', plan('PT-BAD', { [field]: value })),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });
});

describe('distributors', () => {
  const distributor = {
    distributorId: 'D1',
    name: 'Northwind Distribution',
    paymentTermsDays: 45,
    salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
  };

  beforeAll(async () => {
    await t.ok(t.api.post('/api/v1/distributors', distributor));
  });

  it('POST /api/v1/distributors records CustomerRegistered with distributor: true on customer-<id>', async () => {
    const [registered, ...more] = await streamEvents('customer-D1');
    expect(more).toEqual([]);
    expect(registered).toMatchObject({
      type: 'CustomerRegistered',
      metadata: { commandType: 'RegisterDistributor', commandId: 'D1', actor: 'test-admin' },
      data: {
        customerId: 'D1',
        name: 'Northwind Distribution',
        paymentTermsDays: 45,
        creditLimit: null,
        salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
        distributor: true,
      },
    });
  });

  it('a repeat answers the same and appends nothing; another body with the same id is 409', async () => {
    const before = await eventCount();
    const again = await t.api.post('/api/v1/distributors', distributor);
    expect(again.status).toBe(201);
    expect(await eventCount()).toBe(before);
    await refused(t.api.post('/api/v1/distributors', { ...distributor, name: 'Another' }), 409, 'IDEMPOTENCY_CONFLICT');
  });

  it('refuses a customer id already taken (409), customerId instead of distributorId (400), unknown salesperson (404)', async () => {
    await refused(t.api.post('/api/v1/distributors', { ...distributor, distributorId: 'C1' }), 409, 'ALREADY_EXISTS');
    const { distributorId: _, ...withoutId } = distributor;
    const problem = await refused(
      t.api.post('/api/v1/distributors', { ...withoutId, customerId: 'D2' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['customerId', 'distributorId']));
    await refused(
      t.api.post('/api/v1/distributors', {
        ...distributor,
        distributorId: 'D2',
        salesCredits: [{ salespersonId: 'ghost', splitBps: 10000 }],
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('a sale to a distributor carries toDistributor: true; a sale to a customer has no such field', async () => {
    await t.ok(
      t.api.post('/api/v1/orders', {
        orderId: 'O-D1',
        customerId: 'D1',
        amount: USD(5_000_000),
        bookedAt: '2026-01-20T00:00:00Z',
      }),
    );
    await t.ok(
      t.api.post('/api/v1/orders', {
        orderId: 'O-C1',
        customerId: 'C1',
        amount: USD(1_000_000),
        bookedAt: '2026-01-20T00:00:00Z',
      }),
    );
    const [toDistributor] = await streamEvents('order-O-D1');
    expect(toDistributor).toMatchObject({
      type: 'SaleBooked',
      data: { customerId: 'D1', toDistributor: true, salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }] },
    });
    const [toCustomer] = await streamEvents('order-O-C1');
    expect(toCustomer!.type).toBe('SaleBooked');
    expect(toCustomer!.data).not.toHaveProperty('toDistributor');
  });
});

describe('POST /api/v1/distributors/{id}/secondary-sales', () => {
  const sale = (saleId: string, extra: Record<string, unknown> = {}) => ({
    saleId,
    amount: USD(2_500_000),
    soldAt: '2026-02-14T10:00:00+01:00',
    endCustomer: 'Contoso Retail',
    businessUnit: 'enterprise',
    ...extra,
  });
  let firstPosition: string;

  beforeAll(async () => {
    await t.ok(
      t.api.post('/api/v1/distributors', {
        distributorId: 'D3',
        name: 'Fabrikam Channel',
        paymentTermsDays: 30,
        salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
      }),
    );
    // From March, bob takes D3 over.
    await t.ok(
      t.api.post('/api/v1/customers/D3/sales-credits', {
        reassignmentId: 'RA-D3',
        effectiveFrom: '2026-03-01',
        salesCredits: [{ salespersonId: 'bob', splitBps: 10000 }],
      }),
    );
    firstPosition = await t.ok(t.api.post('/api/v1/distributors/D3/secondary-sales', sale('SS1')));
  });

  it("records SecondarySaleReported on secondary-sale-<saleId>, crediting the distributor's credits on soldAt", async () => {
    const [reported, ...more] = await streamEvents('secondary-sale-SS1');
    expect(more).toEqual([]);
    expect(reported).toEqual(
      expect.objectContaining({
        type: 'SecondarySaleReported',
        occurredAt: '2026-02-14T09:00:00.000Z',
        metadata: expect.objectContaining({ commandType: 'ReportSecondarySale', commandId: 'SS1' }),
        data: {
          saleId: 'SS1',
          distributorId: 'D3',
          amount: USD(2_500_000),
          soldAt: '2026-02-14T09:00:00.000Z',
          endCustomer: 'Contoso Retail',
          businessUnit: 'enterprise',
          salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
        },
      }),
    );
  });

  it('a sale after the reassignment credits the new salesperson; endCustomer and businessUnit default to null', async () => {
    await t.ok(
      t.api.post('/api/v1/distributors/D3/secondary-sales', {
        saleId: 'SS2',
        amount: USD(700_000),
        soldAt: '2026-03-01T00:00:00Z',
      }),
    );
    const [reported] = await streamEvents('secondary-sale-SS2');
    expect(reported!.data).toMatchObject({
      endCustomer: null,
      businessUnit: null,
      salesCredits: [{ salespersonId: 'bob', splitBps: 10000 }],
    });
  });

  it('the same saleId and body again: 201 with the same position, nothing appended; another body: 409', async () => {
    const before = await eventCount();
    const again = await t.api.post('/api/v1/distributors/D3/secondary-sales', sale('SS1'));
    expect([again.status, again.body.position]).toEqual([201, firstPosition]);
    expect(await eventCount()).toBe(before);
    await refused(
      t.api.post('/api/v1/distributors/D3/secondary-sales', sale('SS1', { amount: USD(2_500_001) })),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
  });

  it('refuses an unknown distributor (404), a customer that is not one (422), another currency (422)', async () => {
    await refused(t.api.post('/api/v1/distributors/D9/secondary-sales', sale('SS9')), 404, 'NOT_FOUND');
    await refused(t.api.post('/api/v1/distributors/C1/secondary-sales', sale('SS9')), 422, 'NOT_A_DISTRIBUTOR');
    await refused(
      t.api.post('/api/v1/distributors/D3/secondary-sales', sale('SS9', { amount: { amount: 100, currency: 'EUR' } })),
      422,
      'CURRENCY_MISMATCH',
    );
    await expectNoStream('secondary-sale-SS9');
  });

  it.each([
    ['amount', { amount: USD(0) }],
    ['amount', { amount: USD(-5) }],
    ['soldAt', { soldAt: '2026-02-14' }],
    ['businessUnit', { businessUnit: 'not a unit!' }],
    ['saleId', { saleId: '' }],
  ])('refuses a bad %s: 400 naming it', async (field, extra) => {
    const problem = await refused(
      t.api.post('/api/v1/distributors/D3/secondary-sales', sale('SS8', extra)),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field.split('.')[0])).toContain(field);
  });
});

describe('PUT /api/v1/salespeople/{id}/quotas/{year} with a business unit', () => {
  const quota = (quotaId: string, amount: number, extra: Record<string, unknown> = {}) => ({
    quotaId,
    annualTarget: USD(amount),
    monthlyWeightsBps: EVEN,
    ...extra,
  });

  it("records a business unit's quota on its own stream, and the quota without a unit as before", async () => {
    await t.ok(
      t.api.put('/api/v1/salespeople/alice/quotas/2026', quota('Q-a-ent', 600_000, { businessUnit: 'enterprise' })),
    );
    await t.ok(t.api.put('/api/v1/salespeople/alice/quotas/2026', quota('Q-a-smb', 300_000, { businessUnit: 'smb' })));
    await t.ok(t.api.put('/api/v1/salespeople/alice/quotas/2026', quota('Q-a', 120_000)));
    const [enterprise, ...moreEnterprise] = await streamEvents('quota-alice.2026.enterprise');
    expect(moreEnterprise).toEqual([]);
    expect(enterprise).toMatchObject({
      type: 'QuotaSet',
      data: {
        quotaId: 'Q-a-ent',
        salespersonId: 'alice',
        year: 2026,
        annualTarget: USD(600_000),
        businessUnit: 'enterprise',
      },
    });
    const [smb] = await streamEvents('quota-alice.2026.smb');
    expect(smb!.data).toMatchObject({ quotaId: 'Q-a-smb', businessUnit: 'smb' });
    const [plain] = await streamEvents('quota-alice.2026');
    expect(plain!.data).toMatchObject({ quotaId: 'Q-a', annualTarget: USD(120_000) });
    expect(plain!.data).not.toHaveProperty('businessUnit');
  });

  it('refuses a business unit that is not an id: 400 naming businessUnit', async () => {
    const problem = await refused(
      t.api.put('/api/v1/salespeople/alice/quotas/2026', quota('Q-bad', 1, { businessUnit: 'no spaces' })),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toEqual(['businessUnit']);
  });
});

describe('POST /api/v1/salespeople/{id}/recalculations', () => {
  const finance = () => t.api.as(tokenFor({ sub: 'fin-joe', roles: ['finance'] }));

  it('records CommissionsRecalculated on the commission stream, with who asked (201)', async () => {
    const reply = await finance().post('/api/v1/salespeople/alice/recalculations', {
      recalculationId: 'RC1',
      reason: 'Assignment corrected back to January',
      fromPeriod: '2026-01',
    });
    expect([reply.status, reply.body.id, reply.body.streamId]).toEqual([201, 'RC1', 'commission-alice']);
    await t.ok(
      finance().post('/api/v1/salespeople/alice/recalculations', { recalculationId: 'RC2', reason: 'Everything open' }),
    );
    const recalculations = (await streamEvents('commission-alice')).filter((e) => e.type === 'CommissionsRecalculated');
    expect(recalculations.map((e) => [e.metadata.actor, e.data])).toEqual([
      [
        'fin-joe',
        {
          recalculationId: 'RC1',
          salespersonId: 'alice',
          fromPeriod: '2026-01',
          reason: 'Assignment corrected back to January',
          requestedBy: 'fin-joe',
        },
      ],
      [
        'fin-joe',
        {
          recalculationId: 'RC2',
          salespersonId: 'alice',
          fromPeriod: null,
          reason: 'Everything open',
          requestedBy: 'fin-joe',
        },
      ],
    ]);
  });

  it('refuses an unknown salesperson (404) and a bad fromPeriod (400), appending nothing', async () => {
    await refused(
      finance().post('/api/v1/salespeople/ghost/recalculations', { recalculationId: 'RC3', reason: 'x' }),
      404,
      'NOT_FOUND',
    );
    for (const fromPeriod of ['2026-13', '2026-1', '2026-01-01', 202601]) {
      const problem = await refused(
        finance().post('/api/v1/salespeople/alice/recalculations', { recalculationId: 'RC4', reason: 'x', fromPeriod }),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors?.map((e) => e.field)).toEqual(['fromPeriod']);
    }
  });

  it('is finance’s: sales-ops is 403', async () => {
    const reply = await t.api
      .as(tokenFor({ roles: ['sales-ops'] }))
      .post('/api/v1/salespeople/alice/recalculations', { recalculationId: 'RC5', reason: 'x' });
    expect([reply.status, reply.body.code]).toEqual([403, 'FORBIDDEN']);
  });
});
