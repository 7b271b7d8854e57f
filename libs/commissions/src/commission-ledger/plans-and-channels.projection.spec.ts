/**
 * The worked examples of docs/plans-and-channels.md, given/when/then on events through the pure
 * ledger projection: tiers, manager overrides, holdbacks, distributor sales and retroactive
 * recalculation.
 */
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { storedEventFactory } from '../../../eventsourcing/src/testing/stored-event';
import {
  InMemoryLedgerView,
  type LedgerChange,
  type LedgerEntry,
  ledgerEntryId,
  projectLedger,
} from './commission-ledger.projection';

const stored = storedEventFactory({
  recordedAt: '2026-06-10T09:00:00.000Z',
  defaultOccurredAt: '2026-01-01T00:00:00.000Z',
});

/** Projects every event; answers the view and each event's changes. */
function run(events: StoredEvent[]): { view: InMemoryLedgerView; changes: Map<string, LedgerChange[]> } {
  const view = new InMemoryLedgerView();
  const changes = new Map<string, LedgerChange[]>();
  for (const e of events) {
    const c = projectLedger(view, e);
    c.forEach((x) => view.apply(x));
    changes.set(e.id, c);
  }
  return { view, changes };
}

const entriesOf = (changes: LedgerChange[] | undefined): LedgerEntry[] =>
  (changes ?? []).flatMap((c) => (c.kind === 'entry' ? [c.entry] : []));
const brief = (changes: LedgerChange[] | undefined) =>
  entriesOf(changes).map((e) => [e.salespersonId, e.type, e.amount, e.period]);

interface PlanOptions {
  basis?: 'BOOKING' | 'COLLECTION';
  windowDays?: number;
  percentBps?: number;
  tiers?: Array<{ fromAttainmentBps: number; rateBps: number }>;
  overrideRateBps?: number;
  holdbackBps?: number;
  primaryDistributorSalesEarn?: boolean;
  secondaryRateBps?: number;
}
const plan = (planId: string, rateBps: number, o: PlanOptions = {}) =>
  stored('PlanCreated', {
    planId,
    name: planId,
    currency: 'USD',
    basis: o.basis ?? 'BOOKING',
    rateBps,
    clawback: { windowDays: o.windowDays ?? 90, percentBps: o.percentBps ?? 10000 },
    ...(o.tiers ? { tiers: o.tiers } : {}),
    ...(o.overrideRateBps !== undefined ? { overrideRateBps: o.overrideRateBps } : {}),
    ...(o.holdbackBps !== undefined ? { holdbackBps: o.holdbackBps } : {}),
    ...(o.primaryDistributorSalesEarn !== undefined
      ? { primaryDistributorSalesEarn: o.primaryDistributorSalesEarn }
      : {}),
    ...(o.secondaryRateBps !== undefined ? { secondaryRateBps: o.secondaryRateBps } : {}),
  });
const person = (salespersonId: string, managerId: string | null = null) =>
  stored('SalespersonRegistered', {
    salespersonId,
    name: salespersonId,
    managerId,
    teamId: null,
    hiredOn: '2025-01-01',
  });
const assign = (salespersonId: string, planId: string, effectiveFrom = '2026-01-01') =>
  stored('PlanAssigned', { assignmentId: `A-${salespersonId}-${planId}`, salespersonId, planId, effectiveFrom });
const quota = (salespersonId: string, annual: number, businessUnit?: string) =>
  stored('QuotaSet', {
    quotaId: `Q-${salespersonId}-${businessUnit ?? ''}`,
    salespersonId,
    year: 2026,
    annualTarget: { amount: annual, currency: 'USD' },
    monthlyWeightsBps: Array(12)
      .fill(0)
      .map((_, i) => (i < 4 ? 834 : 833)),
    monthlyTargets: [],
    ...(businessUnit ? { businessUnit } : {}),
  });
const sale = (
  orderId: string,
  amount: number,
  bookedAt: string,
  credits: Array<[string, number]>,
  toDistributor = false,
) =>
  stored(
    'SaleBooked',
    {
      orderId,
      customerId: toDistributor ? 'D1' : 'C1',
      amount: { amount, currency: 'USD' },
      bookedAt,
      salesCredits: credits.map(([salespersonId, splitBps]) => ({ salespersonId, splitBps })),
      paymentTermsDays: 30,
      dueDate: '2026-12-31',
      businessUnit: null,
      lines: [],
      ...(toDistributor ? { toDistributor: true } : {}),
    },
    bookedAt,
  );
const returned = (orderId: string, amount: number, returnedAt: string, bookedAt: string, refundPart = 0) =>
  stored(
    'ProductReturned',
    {
      orderId,
      returnId: `R-${orderId}-${returnedAt}`,
      amount: { amount, currency: 'USD' },
      unpaidPart: amount - refundPart,
      refundPart,
      reason: 'damaged',
      bookedAt,
      returnedAt,
    },
    returnedAt,
  );
const payment = (orderId: string, amount: number, receivedAt: string) =>
  stored(
    'PaymentReceived',
    { orderId, paymentId: `PAY-${orderId}-${receivedAt}`, amount: { amount, currency: 'USD' }, receivedAt },
    receivedAt,
  );
const secondary = (saleId: string, amount: number, soldAt: string, credits: Array<[string, number]>) =>
  stored(
    'SecondarySaleReported',
    {
      saleId,
      distributorId: 'D1',
      amount: { amount, currency: 'USD' },
      soldAt,
      endCustomer: 'Corner shop',
      businessUnit: null,
      salesCredits: credits.map(([salespersonId, splitBps]) => ({ salespersonId, splitBps })),
    },
    soldAt,
  );
const recalculate = (salespersonId: string, fromPeriod: string | null = null) =>
  stored(
    'CommissionsRecalculated',
    { recalculationId: `RC-${salespersonId}`, salespersonId, fromPeriod, reason: 'wrong plan', requestedBy: 'fin' },
    '2026-06-01T00:00:00.000Z',
  );

const TIERS = [
  { fromAttainmentBps: 0, rateBps: 500 },
  { fromAttainmentBps: 10000, rateBps: 1000 },
  { fromAttainmentBps: 15000, rateBps: 1500 },
];

describe('tiers (accelerators): marginal rates by attainment', () => {
  const s1 = sale('S1', 80_000_000, '2026-02-01T00:00:00.000Z', [['alice', 10000]]);
  const s2 = sale('S2', 40_000_000, '2026-03-01T00:00:00.000Z', [['alice', 10000]]);
  const r2 = returned('S2', 10_000_000, '2026-04-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
  const s3 = sale('S3', 60_000_000, '2026-05-01T00:00:00.000Z', [['alice', 10000]]);
  const history = [
    plan('PT', 500, { tiers: TIERS }),
    assign('alice', 'PT'),
    quota('alice', 100_000_000),
    s1,
    s2,
    r2,
    s3,
  ];

  it('example: 800k below quota at 5 %, 400k across 100 % blended 7.5 %, a return at the blended rate, 600k across 150 %', () => {
    const { changes } = run(history);
    // Quota 1,000,000.00. S1 800,000.00 lies wholly in the first band: 5 %.
    expect(brief(changes.get(s1.id))).toEqual([['alice', 'EARNED', 4_000_000n, '2026-02']]);
    // S2 400,000.00 from 80 % to 120 %: 200,000.00 at 5 % + 200,000.00 at 10 %.
    const [e2] = entriesOf(changes.get(s2.id));
    expect(e2?.amount).toBe(3_000_000n);
    expect(e2?.explanation).toMatchObject({
      blendedRateBps: '300000000000000/400000000000',
      rateBps: null,
      attainmentBefore: '800000000000',
      annualQuota: 100_000_000,
      tierParts: [
        { fromAttainmentBps: 0, rateBps: 500, part: '200000000000' },
        { fromAttainmentBps: 10000, rateBps: 1000, part: '200000000000' },
      ],
    });
    // The return of 100,000.00 takes back at the sale's blended 7.5 %.
    const [c2] = entriesOf(changes.get(r2.id));
    expect([c2?.type, c2?.amount, c2?.explanation.originalCommission]).toEqual(['CLAWBACK', -750_000n, 750_000]);
    // Attainment is now 110 %: S3 600,000.00 has 400,000.00 at 10 % and 200,000.00 at 15 %.
    expect(brief(changes.get(s3.id))).toEqual([['alice', 'EARNED', 7_000_000n, '2026-05']]);
  });

  it('a single tier {0, rateBps} earns exactly what the flat plan earns, rounding included', () => {
    const odd = (id: string) =>
      sale(id, 333, '2026-01-10T00:00:00.000Z', [
        ['alice', 3333],
        ['bob', 6667],
      ]);
    const flat = run([plan('P', 1000), assign('alice', 'P'), assign('bob', 'P'), quota('alice', 1000), odd('X')]);
    const tiered = run([
      plan('P', 1000, { tiers: [{ fromAttainmentBps: 0, rateBps: 1000 }] }),
      assign('alice', 'P'),
      assign('bob', 'P'),
      quota('alice', 1000),
      odd('X'),
    ]);
    const amounts = (r: ReturnType<typeof run>) => [...r.changes.values()].flatMap(brief).map((e) => e[2]);
    expect(amounts(tiered)).toEqual(amounts(flat));
    expect(amounts(flat)).toEqual([11n, 22n]);
  });

  it('without a quota for the year the whole sale earns the first tier and NO_QUOTA is listed', () => {
    const { changes } = run([plan('PT', 500, { tiers: TIERS }), assign('alice', 'PT'), s1]);
    expect(brief(changes.get(s1.id))).toEqual([['alice', 'EARNED', 4_000_000n, '2026-02']]);
    expect(
      changes
        .get(s1.id)
        ?.filter((c) => c.kind === 'exception')
        .map((c) => c.kind === 'exception' && c.exception.code),
    ).toEqual(['NO_QUOTA']);
  });

  it('the annual quota is the sum of the quotas per business unit', () => {
    const { changes } = run([
      plan('PT', 500, { tiers: TIERS }),
      assign('alice', 'PT'),
      quota('alice', 50_000_000, 'hardware'),
      quota('alice', 50_000_000, 'services'),
      s1,
      s2,
    ]);
    expect(entriesOf(changes.get(s2.id))[0]?.amount).toBe(3_000_000n);
  });

  it('under COLLECTION basis, payments earn at the blended rate fixed at booking', () => {
    const p = payment('S2', 20_000_000, '2026-03-20T00:00:00.000Z');
    const { changes } = run([
      plan('PT', 500, { basis: 'COLLECTION', tiers: TIERS }),
      assign('alice', 'PT'),
      quota('alice', 100_000_000),
      s1,
      s2,
      p,
    ]);
    expect(entriesOf(changes.get(s2.id))).toEqual([]);
    expect(brief(changes.get(p.id))).toEqual([['alice', 'EARNED', 1_500_000n, '2026-03']]);
  });
});

describe('manager overrides', () => {
  const o1 = sale('O1', 10_000_000, '2026-01-10T00:00:00.000Z', [
    ['alice', 6000],
    ['bob', 4000],
  ]);
  const r1 = returned('O1', 1_000_000, '2026-03-01T00:00:00.000Z', '2026-01-10T00:00:00.000Z');
  const base = [
    plan('P1', 1000),
    plan('PM', 500, { overrideRateBps: 200 }),
    person('mia'),
    person('alice', 'mia'),
    person('bob', 'mia'),
    assign('alice', 'P1'),
    assign('bob', 'P1'),
    assign('mia', 'PM'),
  ];

  it("example: the manager earns 2 % on each report's credit, and loses it with their clawbacks", () => {
    const { changes } = run([...base, o1, r1]);
    expect(brief(changes.get(o1.id))).toEqual([
      ['alice', 'EARNED', 600_000n, '2026-01'],
      ['mia', 'EARNED', 120_000n, '2026-01'],
      ['bob', 'EARNED', 400_000n, '2026-01'],
      ['mia', 'EARNED', 80_000n, '2026-01'],
    ]);
    const override = entriesOf(changes.get(o1.id)).filter((e) => e.salespersonId === 'mia');
    expect(override.map((e) => e.explanation.override)).toEqual([
      { ofSalespersonId: 'alice' },
      { ofSalespersonId: 'bob' },
    ]);
    expect(override[0]?.entryId).toBe(ledgerEntryId(o1.id, 'mia', 'EARNED', 'override', 'alice'));
    expect(override[0]?.explanation.planId).toBe('PM');
    expect(brief(changes.get(r1.id))).toEqual([
      ['alice', 'CLAWBACK', -60_000n, '2026-03'],
      ['mia', 'CLAWBACK', -12_000n, '2026-03'],
      ['bob', 'CLAWBACK', -40_000n, '2026-03'],
      ['mia', 'CLAWBACK', -8_000n, '2026-03'],
    ]);
  });

  it('never twice for the same credit: no override on an order that credits the manager directly', () => {
    const o2 = sale('O2', 10_000_000, '2026-01-10T00:00:00.000Z', [
      ['alice', 5000],
      ['mia', 5000],
    ]);
    const { changes } = run([...base, o2]);
    expect(brief(changes.get(o2.id))).toEqual([
      ['alice', 'EARNED', 500_000n, '2026-01'],
      ['mia', 'EARNED', 250_000n, '2026-01'],
    ]);
  });

  it("no override when the report earns nothing (no plan) or the manager's plan has no override rate", () => {
    const o = sale('O3', 10_000_000, '2026-01-10T00:00:00.000Z', [['carol', 10000]]);
    const { changes } = run([...base, person('carol', 'mia'), o]);
    expect(brief(changes.get(o.id))).toEqual([]);
    const plain = run([
      plan('P1', 1000),
      person('mia'),
      person('alice', 'mia'),
      assign('alice', 'P1'),
      assign('mia', 'P1'),
      o1,
    ]);
    expect(brief(plain.changes.get(o1.id)).map((e) => e[0])).toEqual(['alice']);
  });

  it("follows the report's basis: under COLLECTION the override is earned on payments", () => {
    const p = payment('O1', 4_000_000, '2026-02-01T00:00:00.000Z');
    const { changes } = run([
      ...base.slice(0, 5),
      plan('P2', 500, { basis: 'COLLECTION' }),
      assign('alice', 'P2'),
      assign('mia', 'PM'),
      sale('O1', 10_000_000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
      p,
    ]);
    expect(brief(changes.get(p.id))).toEqual([
      ['alice', 'EARNED', 200_000n, '2026-02'],
      ['mia', 'EARNED', 80_000n, '2026-02'],
    ]);
  });
});

describe('holdbacks', () => {
  const o = sale('O1', 10_000_000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]);
  const r = returned('O1', 1_000_000, '2026-02-10T00:00:00.000Z', '2026-01-10T00:00:00.000Z');
  const late = payment('O2', 1_000_000, '2026-05-01T00:00:00.000Z');

  it('example: 20 % of the commission is held until the window has passed; a clawback takes from it first', () => {
    const { changes } = run([plan('PH', 1000, { holdbackBps: 2000 }), assign('alice', 'PH'), o, r]);
    const [earned] = entriesOf(changes.get(o.id));
    expect([earned?.amount, earned?.held, earned?.releaseOn]).toEqual([1_000_000n, 200_000n, '2026-04-11']);
    expect(earned?.explanation).toMatchObject({ holdbackBps: 2000, heldBack: 200_000, releaseOn: '2026-04-11' });
    const [clawed] = entriesOf(changes.get(r.id));
    expect([clawed?.amount, clawed?.held, clawed?.explanation.fromHeld]).toEqual([-100_000n, -100_000n, 100_000]);
  });

  it('holds nothing on what is earned on or after the release date (COLLECTION, a late payment)', () => {
    const { changes } = run([
      plan('PH', 1000, { basis: 'COLLECTION', holdbackBps: 2000, windowDays: 60 }),
      assign('alice', 'PH'),
      sale('O2', 10_000_000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
      late,
    ]);
    const [e] = entriesOf(changes.get(late.id));
    expect([e?.amount, e?.held, e?.releaseOn]).toEqual([100_000n, 0n, null]);
  });
});

describe('distributors: primary (sell-in) and secondary (sell-through) sales', () => {
  const primary = sale('OD', 5_000_000, '2026-02-01T00:00:00.000Z', [['alice', 10000]], true);
  const ss = secondary('SS1', 2_000_000, '2026-02-15T00:00:00.000Z', [['alice', 10000]]);

  it('example: sell-in earns nothing and counts nothing by default; sell-through earns the secondary rate and counts', () => {
    const { view, changes } = run([plan('PD', 1000, { secondaryRateBps: 300 }), assign('alice', 'PD'), primary, ss]);
    expect(brief(changes.get(primary.id))).toEqual([]);
    expect(brief(changes.get(ss.id))).toEqual([['alice', 'EARNED', 60_000n, '2026-02']]);
    const [e] = entriesOf(changes.get(ss.id));
    expect([e?.orderId, e?.explanation.trigger, e?.explanation.secondarySaleId]).toEqual([
      null,
      'SECONDARY_SALE',
      'SS1',
    ]);
    expect(view.attainment('alice', 2026)).toBe(2_000_000n * 10_000n);
  });

  it('a plan may pay on sell-in (primaryDistributorSalesEarn), which still never counts toward attainment', () => {
    const { view, changes } = run([
      plan('PD', 1000, { primaryDistributorSalesEarn: true }),
      assign('alice', 'PD'),
      primary,
      ss,
    ]);
    expect(brief(changes.get(primary.id))).toEqual([['alice', 'EARNED', 500_000n, '2026-02']]);
    expect(brief(changes.get(ss.id))).toEqual([['alice', 'EARNED', 200_000n, '2026-02']]);
    expect(view.attainment('alice', 2026)).toBe(2_000_000n * 10_000n);
  });

  it('a return of a sell-in order lowers no attainment; a return of a direct sale does', () => {
    const direct = sale('O9', 3_000_000, '2026-02-01T00:00:00.000Z', [['alice', 10000]]);
    const { view } = run([
      plan('PD', 1000),
      assign('alice', 'PD'),
      primary,
      direct,
      returned('OD', 1_000_000, '2026-03-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
      returned('O9', 1_000_000, '2026-03-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
    ]);
    expect(view.attainment('alice', 2026)).toBe(2_000_000n * 10_000n);
  });
});

describe('retroactive recalculation', () => {
  const o = sale('O1', 10_000_000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]);
  const r = returned('O1', 1_000_000, '2026-02-10T00:00:00.000Z', '2026-01-10T00:00:00.000Z');

  it('example: a sale booked without a plan earns its commission as an adjustment once the plan is assigned and recalculated', () => {
    const rc = recalculate('alice');
    const after = returned('O1', 1_000_000, '2026-02-10T00:00:00.000Z', '2026-01-10T00:00:00.000Z');
    const { changes } = run([plan('P1', 1000), o, assign('alice', 'P1'), rc, after]);
    expect(brief(changes.get(o.id))).toEqual([]);
    const [adj] = entriesOf(changes.get(rc.id));
    expect([adj?.type, adj?.amount, adj?.period, adj?.orderId, adj?.sourceEventId]).toEqual([
      'ADJUSTMENT',
      1_000_000n,
      '2026-01',
      'O1',
      rc.id,
    ]);
    expect(adj?.explanation).toMatchObject({
      trigger: 'RECALCULATION',
      previousPlanId: null,
      planId: 'P1',
      previousNet: 0,
      newNet: 1_000_000,
      reason: 'wrong plan',
      approvedBy: 'fin',
    });
    // Its NO_PLAN is resolved by the recalculation.
    expect(changes.get(rc.id)?.filter((c) => c.kind === 'exception-resolved')).toEqual([
      {
        kind: 'exception-resolved',
        code: 'NO_PLAN',
        orderId: 'O1',
        salespersonId: 'alice',
        byEventId: rc.id,
        at: rc.recordedAt,
      },
    ]);
    // Later events follow the new plan.
    expect(brief(changes.get(after.id))).toEqual([['alice', 'CLAWBACK', -100_000n, '2026-02']]);
  });

  it('posts the difference between plans, clawbacks included, and nothing when the plan did not change', () => {
    const rc = recalculate('alice');
    const { changes } = run([
      plan('P1', 1000),
      plan('P3', 2000),
      assign('alice', 'P1'),
      o,
      r,
      stored('PlanAssigned', {
        assignmentId: 'A-fix',
        salespersonId: 'alice',
        planId: 'P3',
        effectiveFrom: '2026-01-01',
      }),
      rc,
    ]);
    // Under P1: 1,000,000 − 100,000; under P3: 2,000,000 − 200,000: +900,000.
    expect(brief(changes.get(rc.id))).toEqual([['alice', 'ADJUSTMENT', 900_000n, '2026-01']]);
    const again = recalculate('alice');
    const twice = run([plan('P1', 1000), assign('alice', 'P1'), o, again]);
    expect(brief(twice.changes.get(again.id))).toEqual([]);
  });

  it('leaves closed periods and periods before fromPeriod alone', () => {
    const o2 = sale('O2', 10_000_000, '2026-02-10T00:00:00.000Z', [['alice', 10000]]);
    const rc = recalculate('alice', '2026-02');
    const { changes } = run([plan('P1', 1000), o, o2, assign('alice', 'P1'), rc]);
    expect(brief(changes.get(rc.id))).toEqual([['alice', 'ADJUSTMENT', 1_000_000n, '2026-02']]);
    expect(entriesOf(changes.get(rc.id))[0]?.orderId).toBe('O2');
    const close = stored('PeriodClosed', {
      period: '2026-01',
      closedBy: 'fin',
      throughPosition: null,
      throughLogPosition: null,
      statements: [],
    });
    const all = recalculate('alice');
    const closed = run([plan('P1', 1000), o, o2, assign('alice', 'P1'), close, all]);
    expect(brief(closed.changes.get(all.id))).toEqual([['alice', 'ADJUSTMENT', 1_000_000n, '2026-02']]);
  });
});
