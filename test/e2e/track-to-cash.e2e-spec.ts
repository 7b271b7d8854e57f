/**
 * domain.md §6 end to end through the HTTP API on real PostgreSQL: example 1 under P1 (BOOKING)
 * and under P2 (COLLECTION) — payments, returns, cancellations, clawbacks, track-to-cash at asOf,
 * aging — and the refusals of the order lifecycle.
 */
import type { RunningSystem } from '../../libs/bootstrap/src/system';
import { Api, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
let system: RunningSystem;
let api: Api;

const USD = (amount: number) => ({ amount, currency: 'USD' });

async function ok(reply: Promise<Reply>): Promise<string> {
  const r = await reply;
  if (r.status !== 201) throw new Error(`expected 201, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.position as string;
}

/** Reference data of §6 with the salespeople of `prefix` on the given plan. */
async function given(prefix: string, planId: 'P1' | 'P2'): Promise<void> {
  for (const who of ['alice', 'bob']) {
    await ok(
      api.post('/api/v1/salespeople', {
        salespersonId: `${prefix}${who}`,
        name: who,
        teamId: `${prefix}team`,
        hiredOn: '2025-01-01',
      }),
    );
    await ok(
      api.post(`/api/v1/salespeople/${prefix}${who}/plan-assignments`, {
        assignmentId: `${prefix}A-${who}`,
        planId,
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  await ok(
    api.post('/api/v1/customers', {
      customerId: `${prefix}C1`,
      name: 'Acme',
      paymentTermsDays: 30,
      salesCredits: [
        { salespersonId: `${prefix}alice`, splitBps: 6000 },
        { salespersonId: `${prefix}bob`, splitBps: 4000 },
      ],
    }),
  );
}

/** The order history of example 1: book, pay 40,000.00, return 10,000.00, cancel 50,000.00. */
async function example1(prefix: string): Promise<string> {
  const o = `${prefix}O1`;
  await ok(
    api.post('/api/v1/orders', {
      orderId: o,
      customerId: `${prefix}C1`,
      amount: USD(10_000_000),
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  await ok(
    api.post(`/api/v1/orders/${o}/payments`, {
      paymentId: `${o}-pay`,
      amount: USD(4_000_000),
      receivedAt: '2026-02-01T00:00:00Z',
    }),
  );
  await ok(
    api.post(`/api/v1/orders/${o}/returns`, {
      returnId: `${o}-ret`,
      returnedAt: '2026-03-01T00:00:00Z',
      reason: 'damaged',
      amount: USD(1_000_000),
    }),
  );
  return ok(
    api.post(`/api/v1/orders/${o}/cancellations`, {
      cancellationId: `${o}-can`,
      cancelledAt: '2026-05-01T00:00:00Z',
      reason: 'scope cut',
      amount: USD(5_000_000),
    }),
  );
}

beforeAll(async () => {
  t = await startTestSystem({ retryDelayMs: 100 });
  ({ system, api } = t);
  await ok(
    api.post('/api/v1/plans', {
      planId: 'P1',
      name: 'Booking',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  );
  await ok(
    api.post('/api/v1/plans', {
      planId: 'P2',
      name: 'Collection',
      currency: 'USD',
      basis: 'COLLECTION',
      rateBps: 500,
      clawback: { windowDays: 60, percentBps: 5000 },
    }),
  );
  await given('b-', 'P1');
  await given('c-', 'P2');
  await example1('b-');
  const last = await example1('c-');
  expect(await system.engine.waitFor(['commission-ledger', 'track-to-cash'], BigInt(last), 10_000)).toBe('reached');
});

afterAll(async () => {
  await system?.close();
  await t?.db.drop();
});

const ledger = async (who: string, period: string) =>
  (await api.get(`/api/v1/salespeople/${who}/ledger?period=${period}`)).body;

describe('example 1 under P1 (BOOKING, 10 %, clawback 90 days 100 %)', () => {
  it('earns 600,000 / 400,000 in January and claws back 60,000 / 40,000 in March for the return', async () => {
    expect(await ledger('b-alice', '2026-01')).toMatchObject({ earned: 600000, clawedBack: 0, closing: 600000 });
    expect(await ledger('b-alice', '2026-03')).toMatchObject({
      opening: 600000,
      earned: 0,
      clawedBack: 60000,
      closing: 540000,
    });
    expect(await ledger('b-bob', '2026-03')).toMatchObject({ opening: 400000, clawedBack: 40000, closing: 360000 });
  });

  it('does not claw back the cancellation of 2026-05-01 (111 days, outside the window)', async () => {
    expect(await ledger('b-alice', '2026-05')).toMatchObject({ clawedBack: 0, closing: 540000, entries: [] });
  });

  it('lists the clawbacks with their formula inputs', async () => {
    const r = await api.get<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(
      '/api/v1/clawbacks?orderId=b-O1',
    );
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({
        salespersonId: 'b-alice',
        orderId: 'b-O1',
        trigger: 'RETURN',
        amount: 60000,
        originalCommission: 60000,
        percentBps: 10000,
        period: '2026-03',
      }),
      expect.objectContaining({ salespersonId: 'b-bob', trigger: 'RETURN', amount: 40000, period: '2026-03' }),
    ]);
    expect(r.body.nextCursor).toBeNull();
    const page1 = await api.get<{ items: unknown[]; nextCursor: string }>('/api/v1/clawbacks?orderId=b-O1&limit=1');
    expect(page1.body.items).toHaveLength(1);
    const page2 = await api.get<{ items: Array<{ salespersonId: string }>; nextCursor: null }>(
      `/api/v1/clawbacks?orderId=b-O1&limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items.map((i) => i.salespersonId)).toEqual(['b-bob']);
    expect(page2.body.nextCursor).toBeNull();
  });
});

describe('example 1 under P2 (COLLECTION, 5 %, clawback 60 days 50 %)', () => {
  it('earns nothing at booking, 120,000 / 80,000 on the payment in February, and claws nothing back', async () => {
    expect(await ledger('c-alice', '2026-01')).toMatchObject({ earned: 0, closing: 0 });
    expect(await ledger('c-alice', '2026-02')).toMatchObject({ earned: 120000, closing: 120000 });
    expect(await ledger('c-bob', '2026-02')).toMatchObject({ earned: 80000 });
    expect(await ledger('c-alice', '2026-03')).toMatchObject({ clawedBack: 0, closing: 120000 });
    expect((await api.get<{ items: unknown[] }>('/api/v1/clawbacks?orderId=c-O1')).body.items).toEqual([]);
  });
});

describe('track-to-cash at asOf', () => {
  const ttc = async (asOf: string) => (await api.get(`/api/v1/orders/b-O1/track-to-cash?asOf=${asOf}`)).body;

  it('walks through BOOKED, PARTIALLY_PAID, OVERDUE and PAID as of each date', async () => {
    expect(await ttc('2026-01-20T00:00:00Z')).toMatchObject({
      status: 'BOOKED',
      dueDate: '2026-02-09',
      receivable: 10000000,
    });
    expect(await ttc('2026-02-05T00:00:00Z')).toMatchObject({
      status: 'PARTIALLY_PAID',
      receivable: 6000000,
      paidNet: 4000000,
    });
    // due 2026-02-09 (booking + 30 days): at 2026-02-15 it is OVERDUE by 6 days (example 1, step 1)
    expect(await ttc('2026-02-15T00:00:00Z')).toMatchObject({
      status: 'OVERDUE',
      daysOverdue: 6,
      agingBucket: 'd1_30',
    });
    expect(await ttc('2026-03-02T00:00:00Z')).toMatchObject({
      status: 'OVERDUE',
      net: 9000000,
      receivable: 5000000,
      daysOverdue: 21,
    });
    expect(await ttc('2026-06-01T00:00:00Z')).toMatchObject({
      orderId: 'b-O1',
      customerId: 'b-C1',
      status: 'PAID',
      currency: 'USD',
      booked: 10000000,
      cancelled: 5000000,
      returned: 1000000,
      net: 4000000,
      paidNet: 4000000,
      refunded: 0,
      writtenOff: 0,
      receivable: 0,
      daysToCash: 22,
    });
  });

  it('lists orders by status and salesperson', async () => {
    const paid = await api.get<{ items: Array<{ orderId: string }> }>(
      '/api/v1/track-to-cash?status=PAID&asOf=2026-06-01T00:00:00Z',
    );
    expect(paid.body.items.map((i) => i.orderId).sort()).toEqual(['b-O1', 'c-O1']);
    const overdue = await api.get<{ items: Array<{ orderId: string }> }>(
      '/api/v1/track-to-cash?status=OVERDUE&salespersonId=b-alice&asOf=2026-03-02T00:00:00Z',
    );
    expect(overdue.body.items.map((i) => i.orderId)).toEqual(['b-O1']);
    expect((await api.get('/api/v1/track-to-cash?status=LATE')).status).toBe(400);
  });

  it('ages credited receivables by salesperson, team and customer', async () => {
    const bySp = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/aging?asOf=2026-03-02T00:00:00Z&groupBy=salesperson',
    );
    expect(bySp.body.items).toEqual(
      expect.arrayContaining([
        {
          key: 'b-alice',
          currency: 'USD',
          current: 0,
          d1_30: 3000000,
          d31_60: 0,
          d61_90: 0,
          d90plus: 0,
          total: 3000000,
        },
        { key: 'b-bob', currency: 'USD', current: 0, d1_30: 2000000, d31_60: 0, d61_90: 0, d90plus: 0, total: 2000000 },
      ]),
    );
    const byCustomer = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/aging?asOf=2026-03-02T00:00:00Z&groupBy=customer',
    );
    expect(byCustomer.body.items).toContainEqual({
      key: 'b-C1',
      currency: 'USD',
      current: 0,
      d1_30: 5000000,
      d31_60: 0,
      d61_90: 0,
      d90plus: 0,
      total: 5000000,
    });
    const byTeam = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/aging?asOf=2026-03-02T00:00:00Z&groupBy=team',
    );
    expect(byTeam.body.items).toContainEqual(
      expect.objectContaining({ key: 'b-team', d1_30: 5000000, total: 5000000 }),
    );
  });

  it('a rep sees only their own orders; another rep is refused', async () => {
    const rep = new Api(system.url!, tokenFor({ sub: 'alice-user', roles: ['rep'], salespersonId: 'b-alice' }));
    expect((await rep.get('/api/v1/orders/b-O1/track-to-cash')).status).toBe(200);
    expect((await rep.get('/api/v1/orders/c-O1/track-to-cash')).status).toBe(403);
    const list = await rep.get<{ items: Array<{ orderId: string }> }>('/api/v1/track-to-cash');
    expect(list.body.items.map((i) => i.orderId)).toEqual(['b-O1']);
    expect((await rep.get('/api/v1/clawbacks?salespersonId=b-bob')).status).toBe(403);
  });
});

describe('order refusals append nothing', () => {
  const head = async () =>
    (await api.get<{ items: Array<{ headPosition: string }> }>('/api/v1/projections')).body.items[0]!.headPosition;
  const cases: Array<[string, string, unknown, number, string]> = [
    [
      'an overpayment',
      '/api/v1/orders/b-O1/payments',
      { paymentId: 'x1', amount: USD(1), receivedAt: '2026-06-01T00:00:00Z' },
      422,
      'OVERPAYMENT',
    ],
    [
      'a return beyond the net',
      '/api/v1/orders/b-O1/returns',
      { returnId: 'x2', returnedAt: '2026-06-01T00:00:00Z', reason: 'x', amount: USD(4_000_001) },
      422,
      'AMOUNT_EXCEEDS_NET',
    ],
    [
      'a payment before the booking',
      '/api/v1/orders/c-O1/payments',
      { paymentId: 'x3', amount: USD(1), receivedAt: '2025-06-01T00:00:00Z' },
      422,
      'BEFORE_BOOKING',
    ],
    [
      'a payment in another currency',
      '/api/v1/orders/c-O1/payments',
      { paymentId: 'x4', amount: { amount: 1, currency: 'EUR' }, receivedAt: '2026-06-01T00:00:00Z' },
      422,
      'CURRENCY_MISMATCH',
    ],
    [
      'an invoice due before it is issued',
      '/api/v1/orders/c-O1/invoices',
      { invoiceId: 'x5', amount: USD(1), issuedAt: '2026-06-01T00:00:00Z', dueDate: '2026-05-01' },
      422,
      'DUE_DATE_BEFORE_ISSUE',
    ],
    [
      'a write-off with nothing receivable',
      '/api/v1/orders/b-O1/write-offs',
      { writeOffId: 'x6', writtenOffAt: '2026-06-01T00:00:00Z', reason: 'x' },
      422,
      'NOTHING_RECEIVABLE',
    ],
    [
      'a payment on an unknown order',
      '/api/v1/orders/nope/payments',
      { paymentId: 'x7', amount: USD(1), receivedAt: '2026-06-01T00:00:00Z' },
      404,
      'NOT_FOUND',
    ],
    [
      'a payment without an amount',
      '/api/v1/orders/c-O1/payments',
      { paymentId: 'x8', receivedAt: '2026-06-01T00:00:00Z' },
      400,
      'VALIDATION_FAILED',
    ],
  ];
  it.each(cases)('%s', async (_name, path, body, status, code) => {
    const before = await head();
    const r = await api.post(path, body);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ code });
    expect(await head()).toBe(before);
  });

  it('a repeated payment (same paymentId and body) is accepted once', async () => {
    const body = { paymentId: 'c-once', amount: USD(1000), receivedAt: '2026-06-01T00:00:00Z' };
    const first = await api.post('/api/v1/orders/c-O2/payments', body);
    expect(first.status).toBe(404); // no such order yet
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'c-O2',
        customerId: 'c-C1',
        amount: USD(5000),
        bookedAt: '2026-05-20T00:00:00Z',
      }),
    );
    const a = await api.post('/api/v1/orders/c-O2/payments', body);
    const b = await api.post('/api/v1/orders/c-O2/payments', body);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    const conflict = await api.post('/api/v1/orders/c-O2/payments', { ...body, amount: USD(999) });
    expect(conflict.status).toBe(409);
    expect((await system.store.readStream('order-c-O2')).map((e) => e.type)).toEqual(['SaleBooked', 'PaymentReceived']);
  });

  it('concurrent payments on one order never together exceed the receivable', async () => {
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'c-O3',
        customerId: 'c-C1',
        amount: USD(1000),
        bookedAt: '2026-05-20T00:00:00Z',
      }),
    );
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.post('/api/v1/orders/c-O3/payments', {
          paymentId: `c-O3-p${i}`,
          amount: USD(300),
          receivedAt: '2026-06-01T00:00:00Z',
        }),
      ),
    );
    const accepted = replies.filter((r) => r.status === 201).length;
    expect(accepted).toBe(3); // 3 × 300 ≤ 1000 < 4 × 300
    expect(replies.filter((r) => r.status !== 201).every((r) => r.status === 422 || r.status === 409)).toBe(true);
    const payments = (await system.store.readStream('order-c-O3')).filter((e) => e.type === 'PaymentReceived');
    expect(payments).toHaveLength(3);
  });
});
