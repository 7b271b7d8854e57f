/**
 * Richer plans on real PostgreSQL: the projector loads what the pure projection needs (quotas,
 * attainment, managers and their plans, order facts for a recalculation) however the log is cut
 * into batches, so one event per batch, all at once and the pure projection in memory give the
 * same entries; and the ledger query shows held, released, heldBalance and payable per period.
 */
import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { storedEventFactory } from '../../../eventsourcing/src/testing/stored-event';
import { createDataSource } from '../../../platform/src/database/data-source';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { InMemoryLedgerView, projectLedger } from './commission-ledger.projection';
import { CommissionLedgerProjector } from './commission-ledger.projector';
import { GetLedgerQuery, GetLedgerQueryHandler } from './get-ledger.query-handler';

const stored = storedEventFactory({
  recordedAt: '2026-06-10T09:00:00.000Z',
  defaultOccurredAt: '2026-01-10T00:00:00.000Z',
});

const usd = (amount: number) => ({ amount, currency: 'USD' });
const credits = (...c: Array<[string, number]>) => c.map(([salespersonId, splitBps]) => ({ salespersonId, splitBps }));
const sale = (orderId: string, amount: number, bookedAt: string, c: Array<[string, number]>, toDistributor = false) =>
  stored(
    'SaleBooked',
    {
      orderId,
      customerId: toDistributor ? 'D1' : 'C1',
      amount: usd(amount),
      bookedAt,
      salesCredits: credits(...c),
      paymentTermsDays: 30,
      dueDate: '2026-12-31',
      businessUnit: 'hardware',
      lines: [],
      ...(toDistributor ? { toDistributor: true } : {}),
    },
    bookedAt,
  );
const plan = (planId: string, rateBps: number, extra: Record<string, unknown> = {}) =>
  stored('PlanCreated', {
    planId,
    name: planId,
    currency: 'USD',
    basis: 'BOOKING',
    rateBps,
    clawback: { windowDays: 90, percentBps: 10000 },
    ...extra,
  });

const events: StoredEvent[] = [
  plan('PT', 500, {
    tiers: [
      { fromAttainmentBps: 0, rateBps: 500 },
      { fromAttainmentBps: 10000, rateBps: 1000 },
    ],
    holdbackBps: 2000,
    secondaryRateBps: 300,
  }),
  plan('PM', 500, { overrideRateBps: 200 }),
  plan('PC', 400, { basis: 'COLLECTION' }),
  stored('SalespersonRegistered', {
    salespersonId: 'mia',
    name: 'Mia',
    managerId: null,
    teamId: 'T',
    hiredOn: '2025-01-01',
  }),
  stored('SalespersonRegistered', {
    salespersonId: 'alice',
    name: 'A',
    managerId: 'mia',
    teamId: 'T',
    hiredOn: '2025-01-01',
  }),
  stored('SalespersonRegistered', {
    salespersonId: 'bob',
    name: 'B',
    managerId: 'mia',
    teamId: 'T',
    hiredOn: '2025-01-01',
  }),
  stored('PlanAssigned', { assignmentId: 'A1', salespersonId: 'alice', planId: 'PT', effectiveFrom: '2026-01-01' }),
  stored('PlanAssigned', { assignmentId: 'A3', salespersonId: 'mia', planId: 'PM', effectiveFrom: '2026-01-01' }),
  stored('QuotaSet', {
    quotaId: 'Q1',
    salespersonId: 'alice',
    year: 2026,
    annualTarget: usd(5_000_000),
    monthlyWeightsBps: [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833],
    monthlyTargets: [],
    businessUnit: 'hardware',
  }),
  sale('O1', 4_000_000, '2026-01-10T00:00:00.000Z', [
    ['alice', 7000],
    ['bob', 3000],
  ]),
  stored(
    'PaymentReceived',
    { orderId: 'O1', paymentId: 'PAY1', amount: usd(1_000_000), receivedAt: '2026-01-20T00:00:00.000Z' },
    '2026-01-20T00:00:00.000Z',
  ),
  sale('O2', 3_000_000, '2026-02-01T00:00:00.000Z', [['alice', 10000]]),
  stored(
    'ProductReturned',
    {
      orderId: 'O2',
      returnId: 'R1',
      amount: usd(500_000),
      unpaidPart: 500_000,
      refundPart: 0,
      reason: 'damaged',
      bookedAt: '2026-02-01T00:00:00.000Z',
      returnedAt: '2026-02-20T00:00:00.000Z',
    },
    '2026-02-20T00:00:00.000Z',
  ),
  sale('OD', 2_000_000, '2026-02-05T00:00:00.000Z', [['alice', 10000]], true),
  stored(
    'SecondarySaleReported',
    {
      saleId: 'SS1',
      distributorId: 'D1',
      amount: usd(1_000_000),
      soldAt: '2026-03-01T00:00:00.000Z',
      endCustomer: null,
      businessUnit: 'hardware',
      salesCredits: credits(['alice', 10000]),
    },
    '2026-03-01T00:00:00.000Z',
  ),
  // bob sold without a plan; then he is given one and his open periods are recalculated.
  stored('PlanAssigned', { assignmentId: 'A2', salespersonId: 'bob', planId: 'PC', effectiveFrom: '2026-01-01' }),
  stored(
    'CommissionsRecalculated',
    { recalculationId: 'RC1', salespersonId: 'bob', fromPeriod: null, reason: 'missed assignment', requestedBy: 'fin' },
    '2026-03-05T00:00:00.000Z',
  ),
  stored(
    'PaymentReceived',
    { orderId: 'O1', paymentId: 'PAY2', amount: usd(1_000_000), receivedAt: '2026-03-10T00:00:00.000Z' },
    '2026-03-10T00:00:00.000Z',
  ),
];

const databases: TestDatabase[] = [];
const sources: DataSource[] = [];

async function projectedIn(batches: readonly (readonly StoredEvent[])[]): Promise<DataSource> {
  const db = await createTestDatabase();
  databases.push(db);
  const ds = createDataSource(db.url, APP_SCHEMA, 'ledger-plans-test');
  await ds.initialize();
  sources.push(ds);
  const projector = new CommissionLedgerProjector();
  for (const batch of batches) await ds.transaction((manager) => projector.apply(batch, manager));
  return ds;
}

const tables = async (ds: DataSource) => ({
  entries: (await ds.query(
    `SELECT entry_id, salesperson_id, type, amount::text, period, order_id, held::text, release_on::text, explanation
       FROM ledger_entries ORDER BY seq`,
  )) as Array<{ salesperson_id: string; type: string; amount: string; period: string; order_id: string | null }>,
  credits: (await ds.query(
    `SELECT * FROM ledger_order_credits ORDER BY order_id, salesperson_id, override_of`,
  )) as unknown[],
  attainment: (await ds.query('SELECT * FROM ledger_attainment ORDER BY salesperson_id, year')) as unknown[],
  facts: (await ds.query(
    'SELECT event_id, order_id, trigger, amount FROM ledger_order_facts ORDER BY seq',
  )) as unknown[],
});

afterAll(async () => {
  for (const ds of sources) await ds.destroy();
  for (const db of databases) await db.drop();
});

it('one event per batch, all at once and the pure projection give the same entries', async () => {
  const oneByOne = await tables(await projectedIn(events.map((e) => [e])));
  const allAtOnce = await tables(await projectedIn([events]));
  expect(allAtOnce).toEqual(oneByOne);
  const view = new InMemoryLedgerView();
  const pure: string[][] = [];
  for (const e of events) {
    for (const c of projectLedger(view, e)) {
      view.apply(c);
      if (c.kind === 'entry')
        pure.push([c.entry.salespersonId, c.entry.type, c.entry.amount.toString(), c.entry.period]);
    }
  }
  expect(oneByOne.entries.map((e) => [e.salesperson_id, e.type, e.amount, e.period])).toEqual(pure);
  // The history exercises every feature: tiers, override, holdback, sell-in, sell-through, recalculation.
  expect(pure).toEqual([
    // O1 4,000,000: alice 2,800,000 credited within quota 5,000,000 at 5 %; mia 2 % on alice's credit.
    ['alice', 'EARNED', '140000', '2026-01'],
    ['mia', 'EARNED', '56000', '2026-01'],
    // O2 3,000,000 from 56 % to 116 %: 2,200,000 at 5 % + 800,000 at 10 %; mia 2 %.
    ['alice', 'EARNED', '190000', '2026-02'],
    ['mia', 'EARNED', '60000', '2026-02'],
    // The return of 500,000 at O2's blended rate (190,000 / 3,000,000); mia's override likewise.
    ['alice', 'CLAWBACK', '-31667', '2026-02'],
    ['mia', 'CLAWBACK', '-10000', '2026-02'],
    // OD is sell-in: nothing. SS1 1,000,000 at the secondary 3 %, and mia's 2 %.
    ['alice', 'EARNED', '30000', '2026-03'],
    ['mia', 'EARNED', '20000', '2026-03'],
    // bob's 30 % of O1 under PC (COLLECTION 4 %) over the payment of 1,000,000 so far: +12,000.
    ['bob', 'ADJUSTMENT', '12000', '2026-01'],
    // The next payment follows PC.
    ['bob', 'EARNED', '12000', '2026-03'],
  ]);
});

it('the ledger shows what is held, released and payable (holdback 20 % until the window has passed)', async () => {
  const ds = await projectedIn([events]);
  const handler = new GetLedgerQueryHandler(ds);
  const at = async (period: string) => {
    const l = await handler.execute(new GetLedgerQuery('alice', period, null));
    return [l.closing, l.held, l.released, l.heldBalance, l.payable];
  };
  // January: 140,000 earned, 28,000 held until 2026-04-11 (booking + 90 days + 1).
  expect(await at('2026-01')).toEqual([140_000, 28_000, 0, 28_000, 112_000]);
  // February: +190,000 (38,000 held), −31,667 clawed back from what was held.
  expect(await at('2026-02')).toEqual([298_333, 6_333, 0, 34_333, 264_000]);
  // March: the secondary sale's 30,000 (6,000 held until 2026-05-31).
  expect(await at('2026-03')).toEqual([328_333, 6_000, 0, 40_333, 288_000]);
  // April: O1's hold is released on 2026-04-11; O2's (from 2026-05-03) and SS1's stay held.
  expect(await at('2026-04')).toEqual([328_333, 0, 28_000, 12_333, 316_000]);
  expect(await at('2026-05')).toEqual([328_333, 0, 12_333, 0, 328_333]);
  const [first] = (await handler.execute(new GetLedgerQuery('alice', '2026-01', null))).entries;
  expect([first?.held, first?.releaseOn]).toEqual([28_000, '2026-04-11']);
});
