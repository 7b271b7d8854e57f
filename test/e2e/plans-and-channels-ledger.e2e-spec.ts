/**
 * Issue 10 through HTTP, from commands to the ledger (docs/plans-and-channels.md): a tiered plan
 * with a holdback and a manager on an override plan; a sale past 100 % of quota, a return at the
 * blended rate taken from what is held, a secondary sale at its own rate; the ledger's held,
 * released, heldBalance and payable; a NO_QUOTA exception; and a retroactive recalculation whose
 * adjustment has the recalculation as its lineage.
 */
import { type Reply } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

interface Entry {
  readonly entryId: string;
  readonly salespersonId: string;
  readonly type: string;
  readonly amount: number;
  readonly orderId: string | null;
  readonly sourceEventId: string;
  readonly held: number;
  readonly releaseOn: string | null;
  readonly explanation: Record<string, unknown>;
}
interface Ledger {
  readonly earned: number;
  readonly clawedBack: number;
  readonly adjustments: number;
  readonly closing: number;
  readonly held: number;
  readonly released: number;
  readonly heldBalance: number;
  readonly payable: number;
  readonly entries: Entry[];
}

const USD = (amount: number) => ({ amount, currency: 'USD' });
const WEIGHTS = [834, 833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833];
let t: TestSystem;
let last = '0';

async function ok(reply: Promise<Reply>): Promise<void> {
  const r = await reply;
  if (r.status !== 201 && r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  if (typeof r.body?.position === 'string') last = r.body.position;
}

const ledger = async (salespersonId: string, period: string): Promise<Ledger> => {
  const r = await t.api.get<Ledger>(`/api/v1/salespeople/${salespersonId}/ledger?period=${period}`, {
    'X-Consistent-Position': last,
  });
  expect(r.status).toBe(200);
  return r.body;
};
const brief = (l: Ledger) => l.entries.map((e) => [e.salespersonId, e.type, e.amount, e.orderId, e.held]);

beforeAll(async () => {
  t = await startTestSystem();
  const api = t.api;
  await ok(
    api.post('/api/v1/plans', {
      planId: 'ACC',
      name: 'Accelerator',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 500,
      clawback: { windowDays: 90, percentBps: 10000 },
      tiers: [
        { fromAttainmentBps: 0, rateBps: 500 },
        { fromAttainmentBps: 10000, rateBps: 1000 },
      ],
      holdbackBps: 2000,
      secondaryRateBps: 300,
    }),
  );
  await ok(
    api.post('/api/v1/plans', {
      planId: 'MGR',
      name: 'Manager',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 500,
      clawback: { windowDays: 90, percentBps: 10000 },
      overrideRateBps: 200,
    }),
  );
  await ok(
    api.post('/api/v1/plans', {
      planId: 'FLAT',
      name: 'Flat',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  );
  await ok(api.post('/api/v1/salespeople', { salespersonId: 'mia', name: 'Mia', hiredOn: '2025-01-01' }));
  for (const id of ['alice', 'carl']) {
    await ok(api.post('/api/v1/salespeople', { salespersonId: id, name: id, hiredOn: '2025-01-01', managerId: 'mia' }));
  }
  await ok(
    api.post('/api/v1/salespeople/alice/plan-assignments', {
      assignmentId: 'A1',
      planId: 'ACC',
      effectiveFrom: '2026-01-01',
    }),
  );
  await ok(
    api.post('/api/v1/salespeople/mia/plan-assignments', {
      assignmentId: 'A2',
      planId: 'MGR',
      effectiveFrom: '2026-01-01',
    }),
  );
  await ok(
    api.put('/api/v1/salespeople/alice/quotas/2026', {
      quotaId: 'Q1',
      annualTarget: USD(5_000_000),
      monthlyWeightsBps: WEIGHTS,
      businessUnit: 'hardware',
    }),
  );
  for (const [customerId, who] of [
    ['C1', 'alice'],
    ['C2', 'carl'],
  ] as const) {
    await ok(
      api.post('/api/v1/customers', {
        customerId,
        name: customerId,
        paymentTermsDays: 30,
        salesCredits: [{ salespersonId: who, splitBps: 10000 }],
      }),
    );
  }
  await ok(
    api.post('/api/v1/distributors', {
      distributorId: 'D1',
      name: 'Wholesale',
      paymentTermsDays: 60,
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    }),
  );
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'O1',
      customerId: 'C1',
      amount: USD(4_000_000),
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'O2',
      customerId: 'C1',
      amount: USD(3_000_000),
      bookedAt: '2026-02-01T00:00:00Z',
    }),
  );
  await ok(
    api.post('/api/v1/orders/O2/returns', {
      returnId: 'R1',
      returnedAt: '2026-02-20T00:00:00Z',
      reason: 'damaged',
      amount: USD(500_000),
    }),
  );
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'OD',
      customerId: 'D1',
      amount: USD(2_000_000),
      bookedAt: '2026-02-05T00:00:00Z',
    }),
  );
  await ok(
    api.post('/api/v1/distributors/D1/secondary-sales', {
      saleId: 'SS1',
      amount: USD(1_000_000),
      soldAt: '2026-03-01T00:00:00Z',
      endCustomer: 'Corner shop',
    }),
  );
  // carl sells before he has a plan (NO_PLAN); then he gets one and his periods are recalculated.
  await ok(
    api.post('/api/v1/orders', {
      orderId: 'O3',
      customerId: 'C2',
      amount: USD(1_000_000),
      bookedAt: '2026-02-10T00:00:00Z',
    }),
  );
}, 120_000);

afterAll(async () => {
  await t?.close();
});

it('tiers, holdback, override, sell-in and sell-through, as the ledger answers them', async () => {
  const jan = await ledger('alice', '2026-01');
  // O1: 4,000,000 within the 5,000,000 quota at 5 % = 200,000, 20 % held until 2026-04-11.
  expect(brief(jan)).toEqual([['alice', 'EARNED', 200_000, 'O1', 40_000]]);
  expect(jan.entries[0]?.releaseOn).toBe('2026-04-11');
  expect([jan.closing, jan.held, jan.released, jan.heldBalance, jan.payable]).toEqual([
    200_000, 40_000, 0, 40_000, 160_000,
  ]);
  const feb = await ledger('alice', '2026-02');
  // O2 from 80 % to 140 %: 1,000,000 at 5 % + 2,000,000 at 10 % = 250,000 (blended 833⅓ bps), 50,000 held.
  // The return of 500,000 takes back 500,000 × 250,000 / 3,000,000 = 41,667, all of it from what is held.
  // OD is sell-in: nothing.
  expect(brief(feb)).toEqual([
    ['alice', 'EARNED', 250_000, 'O2', 50_000],
    ['alice', 'CLAWBACK', -41_667, 'O2', -41_667],
  ]);
  expect(feb.entries[0]?.explanation).toMatchObject({
    blendedRateBps: '25000000000000/30000000000',
    annualQuota: 5_000_000,
  });
  // An auditor recomputes both from their explanations (lineage).
  for (const entry of feb.entries) {
    const lineage = await t.api.get<{ formula: { matches: boolean; recomputed: number } }>(
      `/api/v1/ledger-entries/${entry.entryId}/lineage`,
    );
    expect([entry.type, lineage.body.formula]).toEqual([entry.type, expect.objectContaining({ matches: true })]);
  }
  expect([feb.closing, feb.heldBalance, feb.payable]).toEqual([408_333, 48_333, 360_000]);
  // The statement as CSV: each entry's held part and blended rate, then released, held and payable.
  const csv = await t.api.get('/api/v1/salespeople/alice/statements/2026-02?format=csv', {
    'X-Consistent-Position': last,
  });
  const lines = String(csv.body).trim().split('\r\n');
  expect(lines[0]).toMatch(/,formula,held,releaseOn,blendedRateBps$/);
  expect(lines.find((l) => l.startsWith('ENTRY,') && l.includes(',EARNED,'))).toMatch(
    /,50000,2026-05-03,25000000000000\/30000000000$/,
  );
  expect(lines.slice(-4)).toEqual([
    'CLOSING,alice,2026-02,,,408333,USD',
    'RELEASED,alice,2026-02,,,0,USD',
    'HELD,alice,2026-02,,,48333,USD',
    'PAYABLE,alice,2026-02,,,360000,USD',
  ]);
  // SS1: the secondary rate 3 % on 1,000,000.
  const mar = await ledger('alice', '2026-03');
  expect(brief(mar)).toEqual([['alice', 'EARNED', 30_000, null, 6_000]]);
  expect(mar.entries[0]?.explanation).toMatchObject({
    trigger: 'SECONDARY_SALE',
    secondarySaleId: 'SS1',
    distributorId: 'D1',
  });
  // April releases O1's hold; May releases O2's (from 2026-05-03) and SS1's (from 2026-05-31).
  const apr = await ledger('alice', '2026-04');
  expect([apr.released, apr.heldBalance, apr.payable]).toEqual([40_000, 14_333, 424_000]);
  const may = await ledger('alice', '2026-05');
  expect([may.released, may.heldBalance, may.payable]).toEqual([14_333, 0, 438_333]);
  // mia: 2 % of alice's credited amounts on O1, O2 (less the return) and SS1; nothing on sell-in.
  const miaFeb = await ledger('mia', '2026-02');
  expect(brief(miaFeb)).toEqual([
    ['mia', 'EARNED', 60_000, 'O2', 0],
    ['mia', 'CLAWBACK', -10_000, 'O2', 0],
  ]);
  expect(miaFeb.entries[0]?.explanation).toMatchObject({ override: { ofSalespersonId: 'alice' }, planId: 'MGR' });
  expect((await ledger('mia', '2026-01')).earned).toBe(80_000);
  expect((await ledger('mia', '2026-03')).earned).toBe(20_000);
});

it('a retroactive recalculation posts the difference as an adjustment, with the recalculation as its lineage', async () => {
  const exceptions = await t.api.get<{ items: Array<{ code: string; orderId: string; salespersonId: string }> }>(
    '/api/v1/exceptions?code=NO_PLAN',
    { 'X-Consistent-Position': last },
  );
  expect(exceptions.body.items).toEqual([
    expect.objectContaining({ code: 'NO_PLAN', orderId: 'O3', salespersonId: 'carl' }),
  ]);
  expect((await ledger('carl', '2026-02')).entries).toEqual([]);
  await ok(
    t.api.post('/api/v1/salespeople/carl/plan-assignments', {
      assignmentId: 'A3',
      planId: 'FLAT',
      effectiveFrom: '2026-01-01',
    }),
  );
  await ok(
    t.api.post('/api/v1/salespeople/carl/recalculations', { recalculationId: 'RC1', reason: 'assignment was missed' }),
  );
  const feb = await ledger('carl', '2026-02');
  expect(brief(feb)).toEqual([['carl', 'ADJUSTMENT', 100_000, 'O3', 0]]);
  expect(feb.entries[0]?.explanation).toMatchObject({
    trigger: 'RECALCULATION',
    previousPlanId: null,
    planId: 'FLAT',
    previousNet: 0,
    newNet: 100_000,
    reason: 'assignment was missed',
  });
  const lineage = await t.api.get<{
    sourceEvent: { type: string; data: { recalculationId: string } };
    formula: { expression: string; matches: boolean };
  }>(`/api/v1/ledger-entries/${feb.entries[0]!.entryId}/lineage`);
  expect(lineage.status).toBe(200);
  expect(lineage.body.formula).toMatchObject({ expression: 'newNet − previousNet', matches: true });
  expect([lineage.body.sourceEvent.type, lineage.body.sourceEvent.data.recalculationId]).toEqual([
    'CommissionsRecalculated',
    'RC1',
  ]);
  // The NO_PLAN is resolved by the recalculation (and kept in the list, for the record).
  const resolved = await t.api.get<{ items: Array<{ orderId: string; resolvedByEventId: string | null }> }>(
    '/api/v1/exceptions?code=NO_PLAN',
    { 'X-Consistent-Position': last },
  );
  expect(resolved.body.items).toEqual([
    expect.objectContaining({ orderId: 'O3', resolvedByEventId: feb.entries[0]!.sourceEventId }),
  ]);
  // Asked again with nothing changed: nothing more. Later events follow the new plan.
  await ok(t.api.post('/api/v1/salespeople/carl/recalculations', { recalculationId: 'RC2', reason: 'again' }));
  await ok(
    t.api.post('/api/v1/orders/O3/returns', {
      returnId: 'R3',
      returnedAt: '2026-03-01T00:00:00Z',
      reason: 'x',
      amount: USD(100_000),
    }),
  );
  expect(brief(await ledger('carl', '2026-02'))).toEqual([['carl', 'ADJUSTMENT', 100_000, 'O3', 0]]);
  expect(brief(await ledger('carl', '2026-03'))).toEqual([['carl', 'CLAWBACK', -10_000, 'O3', 0]]);
});
