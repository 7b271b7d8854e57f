/**
 * The dashboard of channel sales and business units through the HTTP API
 * (docs/plans-and-channels.md): given quotas with and without a business unit, a direct sale, a
 * primary sale to a distributor (sell-in) partly cancelled, and a secondary sale of the
 * distributor, then achieved leaves the sell-in out (shown apart as `sellIn`), the secondary sale
 * is achieved, and targets are summed per salesperson, team and business unit. Commissions are
 * grouped by the business unit of what earned them: a manager's override on a report's order, and
 * a secondary sale (which names no order), included.
 */
import type { Reply } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
const USD = (amount: number) => ({ amount, currency: 'USD' });
const ok = async (reply: Promise<Reply>): Promise<void> => void (await t.ok(reply));
/** 833 bps a month, 834 for the first four: January's target is annual × 834 / 10^4. */
const WEIGHTS = [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833];

interface Row {
  key: string;
  currency: string;
  target: number | null;
  achieved: number;
  attainmentBps: number | null;
  sellIn: number;
  collected: number;
  outstanding: number;
  commissionEarned: number;
}

async function dashboard(groupBy: string): Promise<Array<Omit<Row, 'currency' | 'collected' | 'commissionEarned'>>> {
  const reply = await t.api.get<{ items: Row[] }>(
    `/api/v1/dashboard?period=2026-01&groupBy=${groupBy}&asOf=2026-03-01T00:00:00Z`,
    t.consistent(),
  );
  expect(reply.status).toBe(200);
  lastAnswer = reply.body.items;
  return reply.body.items.map(({ key, target, achieved, attainmentBps, sellIn, outstanding }) => ({
    key,
    target,
    achieved,
    attainmentBps,
    sellIn,
    outstanding,
  }));
}

let lastAnswer: Row[] = [];
const earned = () => lastAnswer.map((r) => [r.key, r.commissionEarned]);

beforeAll(async () => {
  t = await startTestSystem();
  const api = t.api;
  // alice and bob report to mia (team M), who earns a 1 % override; they earn 10 %, 5 % on secondary sales
  const plan = (planId: string, extra: Record<string, number>) =>
    ok(
      api.post('/api/v1/plans', {
        planId,
        name: planId,
        currency: 'USD',
        basis: 'BOOKING',
        rateBps: 1000,
        clawback: { windowDays: 90, percentBps: 10000 },
        ...extra,
      }),
    );
  await plan('REPS', { secondaryRateBps: 500 });
  await plan('MGR', { overrideRateBps: 100 });
  await ok(api.post('/api/v1/salespeople', { salespersonId: 'mia', name: 'mia', hiredOn: '2025-01-01', teamId: 'M' }));
  for (const id of ['alice', 'bob']) {
    await ok(
      api.post('/api/v1/salespeople', {
        salespersonId: id,
        name: id,
        hiredOn: '2025-01-01',
        teamId: 'T',
        managerId: 'mia',
      }),
    );
  }
  for (const [id, planId] of [
    ['mia', 'MGR'],
    ['alice', 'REPS'],
    ['bob', 'REPS'],
  ] as const) {
    await ok(
      api.post(`/api/v1/salespeople/${id}/plan-assignments`, {
        assignmentId: `A-${id}`,
        planId,
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'C1',
      name: 'Direct Corp',
      paymentTermsDays: 30,
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    }),
  );
  await ok(
    api.post('/api/v1/distributors', {
      distributorId: 'D1',
      name: 'Channel Partner',
      paymentTermsDays: 30,
      salesCredits: [
        { salespersonId: 'alice', splitBps: 6000 },
        { salespersonId: 'bob', splitBps: 4000 },
      ],
    }),
  );
  // Given alice's quota without a unit and one for retail, and bob's for retail
  const quota = (sp: string, quotaId: string, annual: number, businessUnit?: string) =>
    ok(
      api.put(`/api/v1/salespeople/${sp}/quotas/2026`, {
        quotaId,
        annualTarget: USD(annual),
        monthlyWeightsBps: WEIGHTS,
        ...(businessUnit ? { businessUnit } : {}),
      }),
    );
  await quota('alice', 'QA', 1_200_000);
  await quota('alice', 'QAR', 600_000, 'retail');
  await quota('bob', 'QBR', 360_000, 'retail');
  // A direct sale in enterprise; a sell-in in retail, a quarter of it cancelled; a secondary sale
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'O1',
      customerId: 'C1',
      amount: USD(100_000),
      bookedAt: '2026-01-10T00:00:00Z',
      businessUnit: 'enterprise',
    }),
  );
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'P1',
      customerId: 'D1',
      amount: USD(200_000),
      bookedAt: '2026-01-12T00:00:00Z',
      businessUnit: 'retail',
    }),
  );
  await ok(
    api.post('/api/v1/orders/P1/cancellations', {
      cancellationId: 'X1',
      cancelledAt: '2026-01-25T00:00:00Z',
      reason: 'overstock',
      amount: USD(50_000),
    }),
  );
  await ok(
    api.post('/api/v1/distributors/D1/secondary-sales', {
      saleId: 'S1',
      amount: USD(80_000),
      soldAt: '2026-01-28T00:00:00Z',
      endCustomer: 'End Corp',
      businessUnit: 'retail',
    }),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('given quotas per business unit, a direct sale, a partly cancelled sell-in and a secondary sale', () => {
  it('then per salesperson: every quota of theirs summed, achieved without the sell-in, sell-in net of its cancellation', async () => {
    expect(await dashboard('salesperson')).toEqual([
      // 100,080 + 50,040; 100,000 direct + 60 % of the 80,000 secondary; 60 % of the 150,000 sell-in; O1 + 60 % of P1 open
      {
        key: 'alice',
        target: 150_120,
        achieved: 148_000,
        attainmentBps: 9858,
        sellIn: 90_000,
        outstanding: 190_000,
      },
      { key: 'bob', target: 30_024, achieved: 32_000, attainmentBps: 10658, sellIn: 60_000, outstanding: 60_000 },
      // the manager: only an override (below), no quota, no credits
      { key: 'mia', target: null, achieved: 0, attainmentBps: null, sellIn: 0, outstanding: 0 },
    ]);
  });

  it('then per business unit: each unit’s quotas summed, (none) the quotas without a unit', async () => {
    expect(await dashboard('businessUnit')).toEqual([
      { key: '(none)', target: 100_080, achieved: 0, attainmentBps: 0, sellIn: 0, outstanding: 0 },
      { key: 'enterprise', target: null, achieved: 100_000, attainmentBps: null, sellIn: 0, outstanding: 100_000 },
      { key: 'retail', target: 80_064, achieved: 80_000, attainmentBps: 9992, sellIn: 150_000, outstanding: 150_000 },
    ]);
  });

  it('then per team: the members’ quotas across units', async () => {
    expect(await dashboard('team')).toEqual([
      { key: 'M', target: null, achieved: 0, attainmentBps: null, sellIn: 0, outstanding: 0 },
      { key: 'T', target: 180_144, achieved: 180_000, attainmentBps: 9992, sellIn: 150_000, outstanding: 250_000 },
    ]);
  });

  it('then commissions by business unit: each order’s and secondary sale’s unit, the manager’s overrides on them included', async () => {
    // enterprise: alice 10 % of 100,000 + mia 1 %; retail: 5 % of 80,000 (48,000 + 32,000) + mia 1 %; sell-in earns nothing
    await dashboard('businessUnit');
    expect(earned()).toEqual([
      ['(none)', 0],
      ['enterprise', 11_000],
      ['retail', 4_800],
    ]);
    await dashboard('salesperson');
    expect(earned()).toEqual([
      ['alice', 12_400],
      ['bob', 1_600],
      ['mia', 1_800],
    ]);
  });
});
