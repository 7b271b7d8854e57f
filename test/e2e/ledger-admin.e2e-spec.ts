/**
 * Quotas, adjustments, payouts, terminations, sales-credit reassignment and the dashboard,
 * through the HTTP API on real PostgreSQL.
 */
import type { RunningSystem } from '../../libs/bootstrap/src/system';
import { Api, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
let system: RunningSystem;
let api: Api;
const USD = (amount: number) => ({ amount, currency: 'USD' });
const consistent = () => t.consistent();
const ok = async (reply: Promise<Reply>): Promise<void> => void (await t.ok(reply));

beforeAll(async () => {
  t = await startTestSystem();
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
  for (const [who, team] of [
    ['alice', 'east'],
    ['bob', 'east'],
    ['carol', 'west'],
  ] as const) {
    await ok(api.post('/api/v1/salespeople', { salespersonId: who, name: who, teamId: team, hiredOn: '2025-01-01' }));
    await ok(
      api.post(`/api/v1/salespeople/${who}/plan-assignments`, {
        assignmentId: `A-${who}`,
        planId: 'P1',
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'C1',
      name: 'Acme',
      paymentTermsDays: 30,
      salesCredits: [
        { salespersonId: 'alice', splitBps: 6000 },
        { salespersonId: 'bob', splitBps: 4000 },
      ],
    }),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('quotas', () => {
  it('splits the annual target by weights with the largest remainder, visible as the dashboard target', async () => {
    const weights = [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833];
    await ok(
      api.request('PUT', '/api/v1/salespeople/alice/quotas/2026', {
        quotaId: 'Q-alice-2026',
        annualTarget: USD(100),
        monthlyWeightsBps: weights,
      }),
    );
    await ok(
      api.request('PUT', '/api/v1/salespeople/bob/quotas/2026', {
        quotaId: 'Q-bob-2026',
        annualTarget: USD(10_000_000),
        monthlyWeightsBps: Array(12)
          .fill(0)
          .map((_, i) => (i === 0 ? 10000 : 0)),
      }),
    );
    const jan = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/dashboard?period=2026-01',
      consistent(),
    );
    expect(jan.body.items).toContainEqual(expect.objectContaining({ key: 'alice', target: 9 }));
    const may = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/dashboard?period=2026-05',
      consistent(),
    );
    expect(may.body.items).toContainEqual(expect.objectContaining({ key: 'alice', target: 8 }));
  });

  it('refuses weights that do not total 10000, and a bad year', async () => {
    const r = await api.request('PUT', '/api/v1/salespeople/alice/quotas/2026', {
      quotaId: 'Q-x',
      annualTarget: USD(100),
      monthlyWeightsBps: Array(12).fill(800),
    });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'WEIGHTS_MUST_TOTAL_10000' });
    expect(
      (
        await api.request('PUT', '/api/v1/salespeople/alice/quotas/26', {
          quotaId: 'Q-y',
          annualTarget: USD(100),
          monthlyWeightsBps: Array(12).fill(0),
        })
      ).status,
    ).toBe(400);
  });
});

describe('dashboard', () => {
  it('shows target, achieved, attainment, collected, outstanding, overdue and commission per salesperson and team', async () => {
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'O1',
        customerId: 'C1',
        amount: USD(10_000_000),
        bookedAt: '2026-01-10T00:00:00Z',
      }),
    );
    await ok(
      api.post('/api/v1/orders/O1/payments', {
        paymentId: 'PAY1',
        amount: USD(4_000_000),
        receivedAt: '2026-01-20T00:00:00Z',
      }),
    );
    const jan = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/dashboard?period=2026-01',
      consistent(),
    );
    expect(jan.status).toBe(200);
    expect(jan.body.items).toContainEqual({
      key: 'bob',
      currency: 'USD',
      target: 10_000_000,
      achieved: 4_000_000,
      attainmentBps: 4000,
      collected: 1_600_000,
      outstanding: 2_400_000,
      overdue: 0,
      commissionEarned: 400_000,
      clawedBack: 0,
      sellIn: 0, // issue 10: primary sales to distributors, apart from achieved
    });
    const feb = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/dashboard?period=2026-02&asOf=2026-02-15T00:00:00Z',
      consistent(),
    );
    expect(feb.body.items).toContainEqual(
      expect.objectContaining({ key: 'alice', achieved: 0, outstanding: 3_600_000, overdue: 3_600_000 }),
    );
    const teams = await api.get<{ items: Array<Record<string, unknown>> }>(
      '/api/v1/dashboard?period=2026-01&groupBy=team',
      consistent(),
    );
    expect(teams.body.items).toContainEqual(
      expect.objectContaining({ key: 'east', target: 10_000_009, achieved: 10_000_000, commissionEarned: 1_000_000 }),
    );
    const manager = new Api(system.url!, tokenFor({ sub: 'm', roles: ['manager'], teamId: 'west' }));
    const west = await manager.get<{ items: Array<{ key: string }> }>('/api/v1/dashboard?period=2026-01');
    expect(west.body.items.map((i) => i.key)).not.toContain('alice');
    expect((await api.get('/api/v1/dashboard?groupBy=region')).status).toBe(400);
  });
});

describe('adjustments and payouts', () => {
  it('closing = opening + earned − clawedBack + adjustments − paidOut, and a negative balance carries forward', async () => {
    await ok(
      api.post('/api/v1/salespeople/carol/adjustments', {
        adjustmentId: 'ADJ-1',
        period: '2026-01',
        amount: USD(-25_000),
        reason: 'Split dispute',
      }),
    );
    await ok(
      api.post('/api/v1/payouts', {
        payoutId: 'PO-1',
        salespersonId: 'carol',
        amount: USD(100_000),
        paidAt: '2026-01-31T12:00:00Z',
      }),
    );
    const jan = await api.get('/api/v1/salespeople/carol/ledger?period=2026-01', consistent());
    expect(jan.body).toMatchObject({
      opening: 0,
      earned: 0,
      adjustments: -25_000,
      paidOut: 100_000,
      closing: -125_000,
    });
    const entries = jan.body.entries as Array<{ type: string; explanation: Record<string, unknown> }>;
    expect(entries.map((e) => e.type)).toEqual(['ADJUSTMENT', 'PAYOUT']);
    expect(entries[0]!.explanation).toMatchObject({
      trigger: 'MANUAL_ADJUSTMENT',
      reason: 'Split dispute',
      approvedBy: 'test-admin',
    });
    const feb = await api.get('/api/v1/salespeople/carol/ledger?period=2026-02', consistent());
    expect(feb.body).toMatchObject({ opening: -125_000, closing: -125_000 });
    // recovered from later earnings
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'O-carol',
        customerId: 'C1',
        amount: USD(2_000_000),
        bookedAt: '2026-02-10T00:00:00Z',
        salesCredits: [{ salespersonId: 'carol', splitBps: 10000 }],
      }),
    );
    const feb2 = await api.get('/api/v1/salespeople/carol/ledger?period=2026-02', consistent());
    expect(feb2.body).toMatchObject({ opening: -125_000, earned: 200_000, closing: 75_000 });
  });

  it('refuses unknown salespeople, zero adjustments and other currencies', async () => {
    expect(
      (
        await api.post('/api/v1/payouts', {
          payoutId: 'PO-x',
          salespersonId: 'ghost',
          amount: USD(1),
          paidAt: '2026-01-31T00:00:00Z',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.post('/api/v1/salespeople/carol/adjustments', {
          adjustmentId: 'ADJ-0',
          period: '2026-01',
          amount: USD(0),
          reason: 'x',
        })
      ).status,
    ).toBe(400);
    const eur = await api.post('/api/v1/salespeople/carol/adjustments', {
      adjustmentId: 'ADJ-2',
      period: '2026-01',
      amount: { amount: 5, currency: 'EUR' },
      reason: 'x',
    });
    expect(eur.body).toMatchObject({ status: 422, code: 'CURRENCY_MISMATCH' });
    const rep = new Api(system.url!, tokenFor({ sub: 'r', roles: ['rep'], salespersonId: 'carol' }));
    expect(
      (
        await rep.post('/api/v1/payouts', {
          payoutId: 'PO-r',
          salespersonId: 'carol',
          amount: USD(1),
          paidAt: '2026-01-31T00:00:00Z',
        })
      ).status,
    ).toBe(403);
  });
});

describe('terminations and reassignments', () => {
  it('a reassignment changes the default credits of later sales only', async () => {
    await ok(
      api.post('/api/v1/customers/C1/sales-credits', {
        reassignmentId: 'RA-1',
        effectiveFrom: '2026-03-01',
        salesCredits: [{ salespersonId: 'carol', splitBps: 10000 }],
      }),
    );
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'O-before',
        customerId: 'C1',
        amount: USD(1000),
        bookedAt: '2026-02-28T00:00:00Z',
      }),
    );
    await ok(
      api.post('/api/v1/orders', {
        orderId: 'O-after',
        customerId: 'C1',
        amount: USD(1000),
        bookedAt: '2026-03-02T00:00:00Z',
      }),
    );
    const before = (await system.store.readStream('order-O-before'))[0]!.data as { salesCredits: unknown };
    const after = (await system.store.readStream('order-O-after'))[0]!.data as { salesCredits: unknown };
    expect(before.salesCredits).toEqual([
      { salespersonId: 'alice', splitBps: 6000 },
      { salespersonId: 'bob', splitBps: 4000 },
    ]);
    expect(after.salesCredits).toEqual([{ salespersonId: 'carol', splitBps: 10000 }]);
    expect(
      (
        await api.post('/api/v1/customers/C1/sales-credits', {
          reassignmentId: 'RA-2',
          effectiveFrom: '2026-04-01',
          salesCredits: [{ salespersonId: 'carol', splitBps: 9000 }],
        })
      ).body,
    ).toMatchObject({ code: 'SPLITS_MUST_TOTAL_10000' });
  });

  it('a terminated salesperson cannot be credited on later sales but keeps their clawbacks', async () => {
    await ok(api.post('/api/v1/salespeople/bob/termination', { terminatedOn: '2026-03-31' }));
    const late = await api.post('/api/v1/orders', {
      orderId: 'O-late',
      customerId: 'C1',
      amount: USD(1000),
      bookedAt: '2026-04-02T00:00:00Z',
      salesCredits: [{ salespersonId: 'bob', splitBps: 10000 }],
    });
    expect(late.body).toMatchObject({ status: 422, code: 'SALESPERSON_TERMINATED' });
    // a return on O1 after bob left still claws back his share (within 90 days of 2026-01-10)
    await ok(
      api.post('/api/v1/orders/O1/returns', {
        returnId: 'R1',
        returnedAt: '2026-04-05T00:00:00Z',
        reason: 'defect',
        amount: USD(1_000_000),
      }),
    );
    const apr = await api.get('/api/v1/salespeople/bob/ledger?period=2026-04', consistent());
    expect(apr.body).toMatchObject({ clawedBack: 40_000 });
    const again = await api.post('/api/v1/salespeople/bob/termination', { terminatedOn: '2026-04-30' });
    expect(again.status).toBe(409); // same command id (the salesperson), other body
  });
});
