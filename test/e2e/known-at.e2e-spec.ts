/**
 * `knownAt` (record time, domain.md §1) on every query that describes a state (issue 4, item 3):
 * only events recorded by then count. Given a sale, then (recorded later) a payment and a partial
 * cancellation, each query at a knownAt between the two shows the world as the system knew it then.
 */
import type { Reply } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
const USD = (amount: number) => ({ amount, currency: 'USD' });
const ok = async (reply: Promise<Reply>): Promise<void> => void (await t.ok(reply));
const pause = () => new Promise((r) => setTimeout(r, 30));

/** Record times: before anything about order K1, after its booking, after everything. */
let beforeOrder: string;
let afterBooking: string;
let afterEverything: string;
const AS_OF = '2026-03-15T00:00:00Z';

async function get<T = Record<string, unknown>>(path: string): Promise<T> {
  const reply = await t.api.get<T>(path, t.consistent());
  if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

beforeAll(async () => {
  t = await startTestSystem();
  const api = t.api;
  await ok(
    api.post('/api/v1/plans', {
      planId: 'KP',
      name: 'Booking 10%',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  );
  await ok(api.post('/api/v1/salespeople', { salespersonId: 'kim', name: 'Kim', hiredOn: '2025-01-01', teamId: 'KT' }));
  await ok(
    api.post('/api/v1/salespeople/kim/plan-assignments', {
      assignmentId: 'KA',
      planId: 'KP',
      effectiveFrom: '2026-01-01',
    }),
  );
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'KC',
      name: 'Known Corp',
      paymentTermsDays: 30,
      salesCredits: [{ salespersonId: 'kim', splitBps: 10000 }],
    }),
  );
  const weights = [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833];
  await ok(
    api.put('/api/v1/salespeople/kim/quotas/2026', {
      quotaId: 'KQ1',
      annualTarget: USD(1_200_000),
      monthlyWeightsBps: weights,
    }),
  );
  await pause();
  beforeOrder = new Date().toISOString();
  await pause();
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'K1',
      customerId: 'KC',
      amount: USD(100_000),
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  await pause();
  afterBooking = new Date().toISOString();
  await pause();
  await ok(
    api.post('/api/v1/orders/K1/payments', {
      paymentId: 'KPAY',
      amount: USD(30_000),
      receivedAt: '2026-01-20T00:00:00Z',
    }),
  );
  await ok(
    api.post('/api/v1/orders/K1/cancellations', {
      cancellationId: 'KX',
      cancelledAt: '2026-01-25T00:00:00Z',
      reason: 'scope cut',
      amount: USD(20_000),
    }),
  );
  await ok(
    api.put('/api/v1/salespeople/kim/quotas/2026', {
      quotaId: 'KQ2',
      annualTarget: USD(2_400_000),
      monthlyWeightsBps: weights,
    }),
  );
  await pause();
  afterEverything = new Date().toISOString();
});

afterAll(async () => {
  await t?.close();
});

describe('knownAt: what the system knew then', () => {
  it('ledger: only entries whose events were recorded by then', async () => {
    const then = await get<{ earned: number; clawedBack: number; entries: unknown[] }>(
      `/api/v1/salespeople/kim/ledger?period=2026-01&knownAt=${afterBooking}`,
    );
    const now = await get<{ earned: number; clawedBack: number; entries: unknown[] }>(
      `/api/v1/salespeople/kim/ledger?period=2026-01&knownAt=${afterEverything}`,
    );
    expect(then).toMatchObject({ earned: 10_000, clawedBack: 0 });
    expect(then.entries).toHaveLength(1);
    expect(now).toMatchObject({ earned: 10_000, clawedBack: 2_000 });
    expect(now.entries).toHaveLength(2);
  });

  it('clawbacks: none known before the cancellation was recorded', async () => {
    const then = await get<{ items: unknown[] }>(`/api/v1/clawbacks?salespersonId=kim&knownAt=${afterBooking}`);
    const now = await get<{ items: Array<{ amount: number; trigger: string }> }>(
      `/api/v1/clawbacks?salespersonId=kim&knownAt=${afterEverything}`,
    );
    expect(then.items).toEqual([]);
    expect(now.items).toMatchObject([{ trigger: 'CANCELLATION', amount: 2_000 }]);
  });

  it('track-to-cash of one order and of the list: booked then, partially paid now; unknown before', async () => {
    const then = await get(`/api/v1/orders/K1/track-to-cash?asOf=${AS_OF}&knownAt=${afterBooking}`);
    const now = await get(`/api/v1/orders/K1/track-to-cash?asOf=${AS_OF}&knownAt=${afterEverything}`);
    expect(then).toMatchObject({ status: 'OVERDUE', paidNet: 0, cancelled: 0, net: 100_000, receivable: 100_000 });
    expect(now).toMatchObject({
      status: 'OVERDUE',
      paidNet: 30_000,
      cancelled: 20_000,
      net: 80_000,
      receivable: 50_000,
    });
    const before = await t.api.get(
      `/api/v1/orders/K1/track-to-cash?asOf=${AS_OF}&knownAt=${beforeOrder}`,
      t.consistent(),
    );
    expect(before.status).toBe(404);

    const list = async (knownAt: string) =>
      (
        await get<{ items: Array<{ orderId: string; receivable: number }> }>(
          `/api/v1/track-to-cash?customerId=KC&asOf=${AS_OF}&knownAt=${knownAt}`,
        )
      ).items;
    expect(await list(beforeOrder)).toEqual([]);
    expect(await list(afterBooking)).toMatchObject([{ orderId: 'K1', receivable: 100_000 }]);
    expect(await list(afterEverything)).toMatchObject([{ orderId: 'K1', receivable: 50_000 }]);
  });

  it('aging: the receivable as it was known', async () => {
    const aging = async (knownAt: string) =>
      (
        await get<{ items: Array<{ key: string; total: number; d31_60: number }> }>(
          `/api/v1/aging?groupBy=customer&asOf=${AS_OF}&knownAt=${knownAt}`,
        )
      ).items.find((r) => r.key === 'KC');
    expect(await aging(beforeOrder)).toBeUndefined();
    expect(await aging(afterBooking)).toMatchObject({ total: 100_000, d31_60: 100_000 });
    expect(await aging(afterEverything)).toMatchObject({ total: 50_000, d31_60: 50_000 });
  });

  it('dashboard: target, achieved, collected and commission as they were known', async () => {
    const row = async (knownAt: string) =>
      (
        await get<{ items: Array<Record<string, number | string | null>> }>(
          `/api/v1/dashboard?period=2026-01&groupBy=salesperson&asOf=${AS_OF}&knownAt=${knownAt}`,
        )
      ).items.find((r) => r.key === 'kim');
    expect(await row(afterBooking)).toMatchObject({
      target: 100_080, // January's share of the first quota, the one known then
      achieved: 100_000,
      collected: 0,
      commissionEarned: 10_000,
      clawedBack: 0,
    });
    expect(await row(afterEverything)).toMatchObject({
      target: 200_160,
      achieved: 80_000,
      collected: 30_000,
      commissionEarned: 10_000,
      clawedBack: 2_000,
    });
  });

  it('refuses a knownAt that is not an instant with 400', async () => {
    const bad = await t.api.get('/api/v1/dashboard?period=2026-01&knownAt=yesterday');
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
