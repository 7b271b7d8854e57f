/**
 * What-if (issue 4, item 8) through the HTTP API: the real history replayed with draft plan terms
 * in isolated schemas, answering the difference per salesperson and posted period, writing
 * nothing live. Every expected figure is computed by hand from domain.md §1:
 * commission(A, s, r) = roundHalfUp(A × s × r / 10^8), clawback = roundHalfUp(commission × p / 10^4),
 * and, for the draft tiers, overrides and holdbacks of issue 10, from docs/plans-and-channels.md.
 */
import { tokenFor, type Reply } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
const USD = (amount: number) => ({ amount, currency: 'USD' });
const ok = async (reply: Promise<Reply>): Promise<void> => void (await t.ok(reply));
const ACCELERATOR = [
  { fromAttainmentBps: 0, rateBps: 1000 },
  { fromAttainmentBps: 10000, rateBps: 2000 },
];
const compliance = () => t.api.as(tokenFor({ sub: 'auditor-1', roles: ['compliance'] }));

interface Figures {
  earned: number;
  clawedBack: number;
  commission: number;
  held: number;
  released: number;
}
interface Item {
  salespersonId: string;
  period: string;
  currency: string;
  actual: Figures;
  whatIf: Figures;
  difference: Figures;
}
interface Report {
  periods: string[];
  planOverrides: unknown[];
  eventsRead: number;
  throughPosition: string | null;
  items: Item[];
  totals: Array<Omit<Item, 'salespersonId'>>;
}

const f = (earned: number, clawedBack: number, held = 0, released = 0): Figures => ({
  earned,
  clawedBack,
  commission: earned - clawedBack,
  held,
  released,
});
const item = (salespersonId: string, period: string, actual: Figures, whatIf: Figures): Item => ({
  salespersonId,
  period,
  currency: 'USD',
  actual,
  whatIf,
  difference: f(
    whatIf.earned - actual.earned,
    whatIf.clawedBack - actual.clawedBack,
    whatIf.held - actual.held,
    whatIf.released - actual.released,
  ),
});

async function whatIf(body: Record<string, unknown>): Promise<Report> {
  const reply = await compliance().post<Report>('/api/v1/what-if', body);
  if (reply.status !== 200) throw new Error(`what-if answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await t.system.dataSource.query(text, params)) as T[];
}

/** Everything a what-if must leave alone: the log, the checkpoints, the live ledger tables. */
async function liveState(): Promise<unknown> {
  return {
    events: await sql('SELECT count(*)::int AS n, max(global_position)::text AS head FROM es_events'),
    checkpoints: await sql('SELECT name, position FROM projection_checkpoints ORDER BY name'),
    entries: await sql(
      `SELECT ledger_entries.entry_id::text AS entry_id, ledger_entries.amount::text AS amount, ledger_entries.period
         FROM ledger_entries ORDER BY ledger_entries.entry_id`,
    ),
    plans: await sql('SELECT * FROM ledger_plans ORDER BY ledger_plans.plan_id'),
    credits: await sql(
      `SELECT ledger_order_credits.order_id, ledger_order_credits.salesperson_id,
              ledger_order_credits.earned::text AS earned, ledger_order_credits.clawed_back::text AS clawed_back
         FROM ledger_order_credits ORDER BY ledger_order_credits.order_id, ledger_order_credits.salesperson_id`,
    ),
    closed: await sql('SELECT period FROM ledger_closed_periods ORDER BY ledger_closed_periods.period'),
  };
}

const leftoverSchemas = () => sql(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'whatif%'`);

/**
 * Given plan WP1 (BOOKING 10 %, clawback 90 days 100 %) for wia (60 %) and wes (40 %) of customer
 * WC1, and plan WP2 (BOOKING 5 %) for wolf (100 % of WC2):
 * - WO1 123,457 booked 2026-01-10, paid in full 2026-02-03, 20,001 returned 2026-02-05 (all refunded);
 * - WO2 50,000 booked 2026-01-15, never paid, cancelled whole 2026-02-10;
 * - WO3 200,000 booked 2026-01-12 for wolf, 40,000 returned unpaid 2026-02-07;
 * - 2026-01 closed after January's bookings.
 *
 * And, for the terms of issue 10 (docs/plans-and-channels.md), from March on (so January and
 * February above are untouched), each with a 2026 quota of 1,000,000 and 100 % of their customer:
 * - wade on WP3 (BOOKING 10 % flat, clawback 90 days 100 %), reporting to wmax, who is on WPM
 *   (BOOKING 5 %, no override rate, no credits of his own): WO4 700,000 booked 2026-03-05,
 *   WO5 500,000 booked 2026-03-20, 100,000 of WO5 returned 2026-04-02, WO6 300,000 booked 2026-04-10;
 * - wren on WP4 (BOOKING 10 %, tiers [{0, 1000}, {10000, 2000}], holdbackBps 2000, clawback
 *   90 days 100 %): WO7 1,200,000 booked 2026-03-12.
 */
beforeAll(async () => {
  t = await startTestSystem();
  const api = t.api;
  const plan = (planId: string, rateBps: number) =>
    ok(
      api.post('/api/v1/plans', {
        planId,
        name: `Booking ${rateBps / 100} %`,
        currency: 'USD',
        basis: 'BOOKING',
        rateBps,
        clawback: { windowDays: 90, percentBps: 10000 },
      }),
    );
  await plan('WP1', 1000);
  await plan('WP2', 500);
  for (const [id, planId] of [
    ['wia', 'WP1'],
    ['wes', 'WP1'],
    ['wolf', 'WP2'],
  ] as const) {
    await ok(api.post('/api/v1/salespeople', { salespersonId: id, name: id, hiredOn: '2025-01-01' }));
    await ok(
      api.post(`/api/v1/salespeople/${id}/plan-assignments`, {
        assignmentId: `A-${id}`,
        planId,
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  const customer = (customerId: string, salesCredits: Array<{ salespersonId: string; splitBps: number }>) =>
    ok(api.post('/api/v1/customers', { customerId, name: customerId, paymentTermsDays: 30, salesCredits }));
  await customer('WC1', [
    { salespersonId: 'wia', splitBps: 6000 },
    { salespersonId: 'wes', splitBps: 4000 },
  ]);
  await customer('WC2', [{ salespersonId: 'wolf', splitBps: 10000 }]);
  const book = (orderId: string, customerId: string, amount: number, bookedAt: string) =>
    ok(api.post('/api/v1/orders', { orderId, customerId, amount: USD(amount), bookedAt }));
  await book('WO1', 'WC1', 123_457, '2026-01-10T09:00:00Z');
  await book('WO2', 'WC1', 50_000, '2026-01-15T09:00:00Z');
  await book('WO3', 'WC2', 200_000, '2026-01-12T09:00:00Z');
  await ok(api.post('/api/v1/periods/2026-01/close', {}));
  await ok(
    api.post('/api/v1/orders/WO1/payments', {
      paymentId: 'WPAY1',
      amount: USD(123_457),
      receivedAt: '2026-02-03T00:00:00Z',
    }),
  );
  await ok(
    api.post('/api/v1/orders/WO1/returns', {
      returnId: 'WR1',
      returnedAt: '2026-02-05T00:00:00Z',
      reason: 'damaged',
      amount: USD(20_001),
    }),
  );
  await ok(
    api.post('/api/v1/orders/WO2/cancellations', {
      cancellationId: 'WX2',
      cancelledAt: '2026-02-10T00:00:00Z',
      reason: 'lost',
    }),
  );
  await ok(
    api.post('/api/v1/orders/WO3/returns', {
      returnId: 'WR3',
      returnedAt: '2026-02-07T00:00:00Z',
      reason: 'wrong size',
      amount: USD(40_000),
    }),
  );

  // Issue 10: quotas, a flat plan with sales past 100 %, a manager, a tiered plan with a holdback.
  const richPlan = (planId: string, terms: Record<string, unknown> = {}) =>
    ok(
      api.post('/api/v1/plans', {
        planId,
        name: planId,
        currency: 'USD',
        basis: 'BOOKING',
        rateBps: 1000,
        clawback: { windowDays: 90, percentBps: 10000 },
        ...terms,
      }),
    );
  await richPlan('WP3');
  await richPlan('WPM', { rateBps: 500 });
  await richPlan('WP4', { tiers: ACCELERATOR, holdbackBps: 2000 });
  for (const [id, planId, managerId] of [
    ['wmax', 'WPM', undefined],
    ['wade', 'WP3', 'wmax'],
    ['wren', 'WP4', undefined],
  ] as const) {
    await ok(
      api.post('/api/v1/salespeople', {
        salespersonId: id,
        name: id,
        hiredOn: '2025-01-01',
        ...(managerId ? { managerId } : {}),
      }),
    );
    await ok(
      api.post(`/api/v1/salespeople/${id}/plan-assignments`, {
        assignmentId: `A-${id}`,
        planId,
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  for (const id of ['wade', 'wren']) {
    await ok(
      api.put(`/api/v1/salespeople/${id}/quotas/2026`, {
        quotaId: `Q-${id}`,
        annualTarget: USD(1_000_000),
        monthlyWeightsBps: [...Array.from({ length: 11 }, () => 833), 837],
      }),
    );
  }
  await customer('WC3', [{ salespersonId: 'wade', splitBps: 10000 }]);
  await customer('WC4', [{ salespersonId: 'wren', splitBps: 10000 }]);
  await book('WO4', 'WC3', 700_000, '2026-03-05T09:00:00Z');
  await book('WO5', 'WC3', 500_000, '2026-03-20T09:00:00Z');
  await book('WO7', 'WC4', 1_200_000, '2026-03-12T09:00:00Z');
  await ok(
    api.post('/api/v1/orders/WO5/returns', {
      returnId: 'WR5',
      returnedAt: '2026-04-02T00:00:00Z',
      reason: 'damaged',
      amount: USD(100_000),
    }),
  );
  await book('WO6', 'WC3', 300_000, '2026-04-10T09:00:00Z');
  await t.system.engine.waitUntilCaughtUp();
});

afterAll(async () => {
  await t?.close();
});

// As recorded (WP1 at 10 %, WP2 at 5 %):
// January: wia 7407 (123,457 × 6000 × 1000 / 10^8 = 7407.42) + 3000 (WO2) = 10407;
//          wes 4938 (4938.28) + 2000 = 6938; wolf 10000 (200,000 × 5 %).
// February: wia claws back 1200 (20,001 × 6 % = 1200.06) + 3000 (WO2 cancelled whole) = 4200;
//           wes 800 (800.04) + 2000 = 2800; wolf 2000 (40,000 × 5 %).
const ACTUAL = {
  wia: { jan: f(10407, 0), feb: f(0, 4200) },
  wes: { jan: f(6938, 0), feb: f(0, 2800) },
  wolf: { jan: f(10000, 0), feb: f(0, 2000) },
};

describe('POST /api/v1/what-if', () => {
  it('answers WP1 at 12 % to the cent per salesperson, leaves WP2 alone, and writes nothing live', async () => {
    const before = await liveState();

    const report = await whatIf({ periods: ['2026-02', '2026-01'], planOverrides: [{ planId: 'WP1', rateBps: 1200 }] });

    // At 12 %: wia earns 8889 (123,457 × 7.2 % = 8888.904) + 3600 = 12489 and claws back
    // 1440 (1440.072) + 3600 = 5040; wes earns 5926 (5925.936) + 2400 = 8326, claws back 960 + 2400 = 3360.
    expect(report.items).toEqual([
      item('wes', '2026-01', ACTUAL.wes.jan, f(8326, 0)),
      item('wia', '2026-01', ACTUAL.wia.jan, f(12489, 0)),
      item('wolf', '2026-01', ACTUAL.wolf.jan, ACTUAL.wolf.jan),
      item('wes', '2026-02', ACTUAL.wes.feb, f(0, 3360)),
      item('wia', '2026-02', ACTUAL.wia.feb, f(0, 5040)),
      item('wolf', '2026-02', ACTUAL.wolf.feb, ACTUAL.wolf.feb),
    ]);
    expect(report.items.map((i) => [i.salespersonId, i.period, i.difference])).toEqual([
      ['wes', '2026-01', f(1388, 0)],
      ['wia', '2026-01', f(2082, 0)],
      ['wolf', '2026-01', f(0, 0)],
      ['wes', '2026-02', f(0, 560)],
      ['wia', '2026-02', f(0, 840)],
      ['wolf', '2026-02', f(0, 0)],
    ]);
    expect(report.totals).toEqual([
      { period: '2026-01', currency: 'USD', actual: f(27345, 0), whatIf: f(30815, 0), difference: f(3470, 0) },
      { period: '2026-02', currency: 'USD', actual: f(0, 9000), whatIf: f(0, 10400), difference: f(0, 1400) },
    ]);
    expect(report.periods).toEqual(['2026-01', '2026-02']);
    expect(report.planOverrides).toEqual([{ planId: 'WP1', rateBps: 1200 }]);

    // Both builds read the whole log, to its head.
    const [log] = await sql<{ n: number; head: string }>(
      'SELECT count(*)::int AS n, max(global_position)::text AS head FROM es_events',
    );
    expect(report.eventsRead).toBe(log!.n);
    expect(report.throughPosition).toBe(log!.head);

    // `actual` is the live ledger.
    const live = await sql<{ salesperson_id: string; period: string; earned: string; clawed_back: string }>(
      `SELECT e.salesperson_id, e.period,
              coalesce(sum(e.amount) FILTER (WHERE e.type = 'EARNED'), 0)::text AS earned,
              coalesce(-sum(e.amount) FILTER (WHERE e.type = 'CLAWBACK'), 0)::text AS clawed_back
         FROM ledger_entries e WHERE e.period IN ('2026-01', '2026-02')
        GROUP BY e.salesperson_id, e.period ORDER BY e.period, e.salesperson_id`,
    );
    expect(live.map((r) => [r.salesperson_id, r.period, f(Number(r.earned), Number(r.clawed_back))])).toEqual(
      report.items.map((i) => [i.salespersonId, i.period, i.actual]),
    );

    // Nothing live was written: same log, checkpoints and ledger tables; no schema left behind.
    expect(await liveState()).toEqual(before);
    expect(await leftoverSchemas()).toEqual([]);
  });

  it('moves the earnings of WP1 to the payments when its basis is COLLECTION', async () => {
    const report = await whatIf({ period: '2026-01', planOverrides: [{ planId: 'WP1', basis: 'COLLECTION' }] });
    // Nothing is earned at booking any more.
    expect(report.items).toEqual([
      item('wes', '2026-01', ACTUAL.wes.jan, f(0, 0)),
      item('wia', '2026-01', ACTUAL.wia.jan, f(0, 0)),
      item('wolf', '2026-01', ACTUAL.wolf.jan, ACTUAL.wolf.jan),
    ]);

    const feb = await whatIf({ periods: ['2026-02'], planOverrides: [{ planId: 'WP1', basis: 'COLLECTION' }] });
    // The payment of 123,457 earns wia 7407 and wes 4938 in February; only the refunded part of
    // the return (20,001) is clawed back (1200 and 800); cancelling the unpaid WO2 claws nothing.
    expect(feb.items).toEqual([
      item('wes', '2026-02', ACTUAL.wes.feb, f(4938, 800)),
      item('wia', '2026-02', ACTUAL.wia.feb, f(7407, 1200)),
      item('wolf', '2026-02', ACTUAL.wolf.feb, ACTUAL.wolf.feb),
    ]);
    expect(feb.items.map((i) => i.difference.commission)).toEqual([4138 + 2800, 6207 + 4200, 0]);
    expect(await leftoverSchemas()).toEqual([]);
  });

  it('applies a draft clawback policy: half the commission, or none outside a shorter window', async () => {
    const half = await whatIf({
      period: '2026-02',
      planOverrides: [{ planId: 'WP1', clawback: { percentBps: 5000 } }],
    });
    // wia: roundHalfUp(1200 × 50 %) + roundHalfUp(3000 × 50 %) = 600 + 1500; wes: 400 + 1000.
    expect(half.items.map((i) => [i.salespersonId, i.whatIf])).toEqual([
      ['wes', f(0, 1400)],
      ['wia', f(0, 2100)],
      ['wolf', ACTUAL.wolf.feb],
    ]);
    // WO1's return comes 26 days after booking, WO2's cancellation 26 days after: a 20-day window claws nothing.
    const short = await whatIf({
      period: '2026-02',
      planOverrides: [{ planId: 'WP1', clawback: { windowDays: 20 } }],
    });
    expect(short.items.map((i) => [i.salespersonId, i.whatIf, i.difference])).toEqual([
      ['wes', f(0, 0), f(0, -2800)],
      ['wia', f(0, 0), f(0, -4200)],
      ['wolf', ACTUAL.wolf.feb, f(0, 0)],
    ]);
  });

  it('answers 404 for a plan the log does not know, and leaves no schema behind', async () => {
    const reply = await compliance().post('/api/v1/what-if', {
      period: '2026-01',
      planOverrides: [{ planId: 'WP1', rateBps: 1200 }, { planId: 'NOPE' }],
    });
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await leftoverSchemas()).toEqual([]);
  });

  it('refuses bad bodies with 400 VALIDATION_FAILED', async () => {
    const override = { planId: 'WP1', rateBps: 1200 };
    const bad: Array<Record<string, unknown>> = [
      { planOverrides: [override] }, // no period
      { period: '2026-01', periods: ['2026-01'], planOverrides: [override] },
      { period: '2026-13', planOverrides: [override] },
      { periods: [], planOverrides: [override] },
      {
        periods: Array.from(
          { length: 25 },
          (_, i) => `20${24 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
        ),
        planOverrides: [override],
      },
      { periods: ['2026-1'], planOverrides: [override] },
      { period: '2026-01' }, // no overrides
      { period: '2026-01', planOverrides: [] },
      { period: '2026-01', planOverrides: Array.from({ length: 51 }, (_, i) => ({ planId: `P${i}` })) },
      { period: '2026-01', planOverrides: [override, override] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', rateBps: 10001 }] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', rateBps: 12.5 }] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', basis: 'WEEKLY' }] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', clawback: { windowDays: 3651 } }] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', clawback: { windowDays: 1.5 } }] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', clawback: { percentBps: -1 } }] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', clawback: [{ percentBps: 1 }] }] },
      { period: '2026-01', planOverrides: [{ planId: 'WP1', currency: 'EUR' }] }, // unknown field
      { period: '2026-01', planOverrides: [{ planId: 'WP1', clawback: { days: 3 } }] },
      { period: '2026-01', planOverrides: [override], dryRun: true },
      { period: '2026-01', planOverrides: [{ rateBps: 1200 }] },
    ];
    for (const body of bad) {
      const reply = await compliance().post('/api/v1/what-if', body);
      expect([JSON.stringify(body), reply.status, reply.body]).toEqual([
        JSON.stringify(body),
        400,
        expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }),
      ]);
    }
    expect(await leftoverSchemas()).toEqual([]);
  });

  it('is for compliance and admin only', async () => {
    const body = { period: '2026-01', planOverrides: [{ planId: 'WP1', rateBps: 1200 }] };
    const rep = t.api.as(tokenFor({ roles: ['rep'], salespersonId: 'wia' }));
    expect((await rep.post('/api/v1/what-if', body)).status).toBe(403);
    expect((await t.api.as(tokenFor({ roles: ['finance'] })).post('/api/v1/what-if', body)).status).toBe(403);
    expect((await t.api.as(tokenFor({ roles: ['manager'], teamId: 'T1' })).post('/api/v1/what-if', body)).status).toBe(
      403,
    );
    expect((await t.api.post('/api/v1/what-if', body)).status).toBe(200); // admin
    expect((await compliance().post('/api/v1/what-if', body)).status).toBe(200);
  });
});

// Issue 10, as recorded. wade on WP3 (flat 10 %): WO4 700,000 × 10 % = 70,000 and WO5 500,000 × 10 %
// = 50,000 in March; in April the return of 100,000 of WO5 claws back 10,000 and WO6 300,000 earns
// 30,000. wren on WP4 (tiers, quota 1,000,000): WO7 1,200,000 fills 0 % → 120 %: 1,000,000 × 10 %
// + 200,000 × 20 % = 140,000, of which 20 % = 28,000 is held until 2026-06-11 (2026-03-12 + 90
// days + 1), so released in June. wmax earns nothing: WPM has no override rate.
const RICH = {
  wade: { mar: f(120_000, 0), apr: f(30_000, 10_000) },
  wren: { mar: f(140_000, 0, 28_000), jun: f(0, 0, 0, 28_000) },
};

describe('POST /api/v1/what-if with the terms of issue 10 (tiers, overrides, holdbacks; null removes)', () => {
  it('given wade past 100 % of quota on flat WP3, when WP3 gets a 20 % accelerator above 100 %, then the difference is what the tiers give', async () => {
    const before = await liveState();

    const report = await whatIf({
      periods: ['2026-03', '2026-04'],
      planOverrides: [{ planId: 'WP3', tiers: ACCELERATOR }],
    });

    // Draft tiers [{0, 1000}, {10000, 2000}], quota 1,000,000:
    // - WO4 700,000: 0 % → 70 %, all in the first band: 700,000 × 10 % = 70,000 (as recorded);
    // - WO5 500,000: 70 % → 120 %: 300,000 × 10 % + 200,000 × 20 % = 30,000 + 40,000 = 70,000,
    //   a blended rate of 70,000 / 500,000 = 1400 bps. March: 140,000, +20,000.
    // - the return of 100,000 of WO5 (13 days in, within 90): at WO5's blended rate
    //   roundHalfUp(100,000 × 14 %) × 100 % = 14,000 clawed back (+4,000); attainment 120 % → 110 %;
    // - WO6 300,000: 110 % → 140 %, all in the second band: 300,000 × 20 % = 60,000 (+30,000).
    //   April: commission 60,000 − 14,000 = 46,000, +26,000.
    // wren (WP4, not overridden) is unchanged; wmax earns nothing on either side.
    expect(report.items).toEqual([
      item('wade', '2026-03', RICH.wade.mar, f(140_000, 0)),
      item('wren', '2026-03', RICH.wren.mar, RICH.wren.mar),
      item('wade', '2026-04', RICH.wade.apr, f(60_000, 14_000)),
    ]);
    expect(report.items.map((i) => [i.salespersonId, i.period, i.difference.commission])).toEqual([
      ['wade', '2026-03', 20_000],
      ['wren', '2026-03', 0],
      ['wade', '2026-04', 26_000],
    ]);
    expect(report.totals.map((x) => [x.period, x.difference])).toEqual([
      ['2026-03', f(20_000, 0)],
      ['2026-04', f(30_000, 4_000)],
    ]);
    expect(report.planOverrides).toEqual([{ planId: 'WP3', tiers: ACCELERATOR }]);
    expect(await liveState()).toEqual(before);
    expect(await leftoverSchemas()).toEqual([]);
  });

  it('given a draft rateBps, then draft tiers start at it: 8 % up to quota and 15 % above', async () => {
    const report = await whatIf({
      periods: ['2026-03', '2026-04'],
      planOverrides: [
        {
          planId: 'WP3',
          rateBps: 800,
          tiers: [
            { fromAttainmentBps: 0, rateBps: 800 },
            { fromAttainmentBps: 10000, rateBps: 1500 },
          ],
        },
      ],
    });
    // WO4: 700,000 × 8 % = 56,000; WO5: 300,000 × 8 % + 200,000 × 15 % = 24,000 + 30,000 = 54,000
    // (blended 54,000 / 500,000 = 1080 bps). March 110,000.
    // The return: 100,000 × 10.8 % = 10,800; WO6 from 110 %: 300,000 × 15 % = 45,000.
    expect(report.items.filter((i) => i.salespersonId === 'wade')).toEqual([
      item('wade', '2026-03', RICH.wade.mar, f(110_000, 0)),
      item('wade', '2026-04', RICH.wade.apr, f(45_000, 10_800)),
    ]);
  });

  it('given wmax managing wade, when WPM gets a 2 % override and WP3 a 10 % holdback, then wmax earns overrides and wade holds', async () => {
    const report = await whatIf({
      periods: ['2026-03', '2026-04'],
      planOverrides: [
        { planId: 'WPM', overrideRateBps: 200 },
        { planId: 'WP3', holdbackBps: 1000 },
      ],
    });
    // wmax's override: roundHalfUp(base × 10000 × 200 / 10^8), i.e. 2 % of wade's credits:
    // March WO4 14,000 + WO5 10,000 = 24,000; April WO6 6,000, and the return of 100,000 takes back
    // 100,000 × 2 % = 2,000 (WPM has no holdback, so wmax holds nothing).
    // wade's holdback of 10 % (nothing released before June): March 7,000 + 5,000 = 12,000 held;
    // April WO6 holds 3,000, and the clawback of 10,000 on WO5 first takes the 5,000 still held on
    // it: held in April 3,000 − 5,000 = −2,000. wade's earned and clawed-back stay as recorded.
    expect(report.items).toEqual([
      item('wade', '2026-03', RICH.wade.mar, f(120_000, 0, 12_000)),
      item('wmax', '2026-03', f(0, 0), f(24_000, 0)),
      item('wren', '2026-03', RICH.wren.mar, RICH.wren.mar),
      item('wade', '2026-04', RICH.wade.apr, f(30_000, 10_000, -2_000)),
      item('wmax', '2026-04', f(0, 0), f(6_000, 2_000)),
    ]);
  });

  it('given WP4 recorded with tiers and a holdback, when the draft sets them to null, then WP4 is a flat 10 % plan holding nothing', async () => {
    const report = await whatIf({
      periods: ['2026-03', '2026-06'],
      planOverrides: [{ planId: 'WP4', tiers: null, holdbackBps: null }],
    });
    // Flat: WO7 1,200,000 × 10 % = 120,000 (−20,000), nothing held in March (−28,000), nothing
    // released in June (−28,000).
    expect(report.items).toEqual([
      item('wade', '2026-03', RICH.wade.mar, RICH.wade.mar),
      item('wren', '2026-03', RICH.wren.mar, f(120_000, 0)),
      item('wren', '2026-06', RICH.wren.jun, f(0, 0)),
    ]);
    expect(report.items.map((i) => i.difference)).toEqual([f(0, 0), f(-20_000, 0, -28_000), f(0, 0, 0, -28_000)]);
    expect(report.planOverrides).toEqual([{ planId: 'WP4', tiers: null, holdbackBps: null }]);
  });

  it('documents the draft terms in the OpenAPI: an accelerator example, and null removing a term', async () => {
    type Doc = {
      paths: Record<
        string,
        { post?: { requestBody?: { content: Record<string, { examples?: Record<string, unknown> }> } } }
      >;
      components: {
        schemas: Record<string, { properties?: Record<string, { nullable?: boolean; description?: string }> }>;
      };
    };
    const doc = (await t.api.get<Doc>('/docs-json')).body;
    const examples = doc.paths['/api/v1/what-if']?.post?.requestBody?.content['application/json']?.examples ?? {};
    expect(examples['accelerator']).toMatchObject({
      value: { planOverrides: [{ planId: 'P1', tiers: [{ fromAttainmentBps: 0 }, { fromAttainmentBps: 10000 }] }] },
    });
    const terms = doc.components.schemas['PlanOverrideDto']?.properties ?? {};
    for (const term of ['tiers', 'overrideRateBps', 'holdbackBps', 'primaryDistributorSalesEarn', 'secondaryRateBps']) {
      expect([term, terms[term]?.nullable, terms[term]?.description]).toEqual([
        term,
        true,
        expect.stringMatching(/null/),
      ]);
    }
  });

  it('refuses tiers that break the rules of plan creation on their own: 400 VALIDATION_FAILED naming planOverrides.N.tiers', async () => {
    const before = await liveState();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ planId: 'WP3', tiers: [{ fromAttainmentBps: 5000, rateBps: 1000 }] }, /^planOverrides\.0\.tiers$/],
      // the first tier is not at the draft's rateBps
      [{ planId: 'WP3', rateBps: 800, tiers: ACCELERATOR }, /^planOverrides\.0\.tiers$/],
      [
        { planId: 'WP3', tiers: [ACCELERATOR[0], { fromAttainmentBps: 0, rateBps: 2000 }] },
        /^planOverrides\.0\.tiers$/,
      ],
      [{ planId: 'WP3', tiers: [] }, /^planOverrides\.0\.tiers$/],
      [
        { planId: 'WP3', tiers: [ACCELERATOR[0], { fromAttainmentBps: 10000, rateBps: 10001 }] },
        /^planOverrides\.0\.tiers(\.1\.rateBps)?$/,
      ],
      [{ planId: 'WP3', overrideRateBps: 10001 }, /^planOverrides\.0\.overrideRateBps$/],
      [{ planId: 'WP3', holdbackBps: -1 }, /^planOverrides\.0\.holdbackBps$/],
      [{ planId: 'WP3', secondaryRateBps: 2.5 }, /^planOverrides\.0\.secondaryRateBps$/],
      [{ planId: 'WP3', primaryDistributorSalesEarn: 'yes' }, /^planOverrides\.0\.primaryDistributorSalesEarn$/],
    ];
    for (const [override, field] of cases) {
      const reply = await compliance().post<{ code: string; errors?: Array<{ field: string }> }>('/api/v1/what-if', {
        period: '2026-03',
        planOverrides: [override],
      });
      expect([JSON.stringify(override), reply.status, reply.body.code]).toEqual([
        JSON.stringify(override),
        400,
        'VALIDATION_FAILED',
      ]);
      expect(reply.body.errors?.length).toBeGreaterThan(0);
      for (const e of reply.body.errors ?? []) expect(e.field).toMatch(field);
      // A bad tier element is named down to its field (as for plan creation, the list is named too).
      if (field.source.includes('rateBps)?')) {
        expect(reply.body.errors?.map((e) => e.field)).toContain('planOverrides.0.tiers.1.rateBps');
      }
    }
    expect(await liveState()).toEqual(before);
  });

  it('refuses a draft that breaks the rules only against the recorded plan: 422 INVALID_TIERS naming the field', async () => {
    const before = await liveState();
    // WP3 is recorded at rateBps 1000, and the draft does not change it: tiers must start at {0, 1000}.
    const tiers = await compliance().post<Record<string, unknown>>('/api/v1/what-if', {
      period: '2026-03',
      planOverrides: [
        {
          planId: 'WP3',
          tiers: [
            { fromAttainmentBps: 0, rateBps: 1200 },
            { fromAttainmentBps: 10000, rateBps: 2000 },
          ],
        },
      ],
    });
    expect(tiers.status).toBe(422);
    expect(tiers.body).toMatchObject({
      status: 422,
      code: 'INVALID_TIERS',
      planId: 'WP3',
      field: 'planOverrides.0.tiers',
      detail: expect.stringMatching(/rateBps: 1000\}.*recorded with rateBps 1000/),
    });
    // WP4 is recorded with tiers from {0, 1000}: a draft rateBps alone would leave them behind.
    const rate = await compliance().post<Record<string, unknown>>('/api/v1/what-if', {
      period: '2026-03',
      planOverrides: [
        { planId: 'WP1', rateBps: 1200 },
        { planId: 'WP4', rateBps: 1200 },
      ],
    });
    expect(rate.status).toBe(422);
    expect(rate.body).toMatchObject({
      code: 'INVALID_TIERS',
      planId: 'WP4',
      field: 'planOverrides.1.rateBps',
      detail: expect.stringMatching(/tiers: null/),
    });
    // ... which a draft tiers (or null) makes right.
    const fixed = await whatIf({ period: '2026-03', planOverrides: [{ planId: 'WP4', rateBps: 1200, tiers: null }] });
    expect(fixed.items.find((i) => i.salespersonId === 'wren')?.whatIf).toEqual(f(144_000, 0, 28_800)); // 1,200,000 × 12 %, 20 % held
    expect(await liveState()).toEqual(before);
    expect(await leftoverSchemas()).toEqual([]);
  });
});
