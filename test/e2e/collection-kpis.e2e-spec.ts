/**
 * Collection KPIs (issue 9 item 4) end to end on real PostgreSQL: given the worked example of
 * docs/collections-and-credit.md "Collection KPIs" — two instalments paid partly late, a
 * cancellation, a write-off, a return with refund, alice and bob sharing customer C1 60/40, three
 * customers — GET /api/v1/dashboard/collection-kpis answers the exact collection rate (to date and
 * on time), DSO and average days to pay per salesperson, team and customer; a manager sees their
 * team, a rep their own shares; asOf and knownAt cut the facts like the rest of the dashboard; the
 * DSO inputs equal the dashboard's own achieved and outstanding.
 */
import type { RunningSystem } from '../../libs/bootstrap/src/system';
import { type Api, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
let system: RunningSystem;
let api: Api;
let beforeLastPayment: string;

const USD = (amount: number) => ({ amount, currency: 'USD' });
const at = (date: string) => `${date}T10:00:00Z`;
const PERIOD = '2026-03';
const ASOF = '2026-04-15T00:00:00Z';

interface KpiRow {
  key: string;
  currency: string;
  due: number;
  collectedToDate: number;
  collectedOnTime: number;
  collectionRateBps: number | null;
  onTimeRateBps: number | null;
  outstanding: number;
  sales: number;
  dsoDays: number | null;
  paid: number;
  paidAmountDays: string;
  averageDaysToPay: number | null;
}
interface KpiAnswer {
  period: string;
  groupBy: string;
  asOf: string;
  receivablesAt: string;
  daysInPeriod: number;
  items: KpiRow[];
  totals: Array<Omit<KpiRow, 'key'>>;
  nextCursor: null;
}

const kpis = async (query: string, as: Api = api) => {
  const r = await as.get<KpiAnswer>(`/api/v1/dashboard/collection-kpis?${query}`, t.consistent());
  expect(r.status).toBe(200);
  return r.body;
};
const row = (
  key: string,
  due: number,
  collectedToDate: number,
  collectedOnTime: number,
  collectionRateBps: number | null,
  onTimeRateBps: number | null,
  outstanding: number,
  sales: number,
  dsoDays: number | null,
  paid: number,
  paidAmountDays: string,
  averageDaysToPay: number | null,
): KpiRow => ({
  key,
  currency: 'USD',
  due,
  collectedToDate,
  collectedOnTime,
  collectionRateBps,
  onTimeRateBps,
  outstanding,
  sales,
  dsoDays,
  paid,
  paidAmountDays,
  averageDaysToPay,
});

beforeAll(async () => {
  t = await startTestSystem({ retryDelayMs: 100 });
  ({ system, api } = t);
  for (const [who, team] of [
    ['alice', 'east'],
    ['bob', 'east'],
    ['carol', 'west'],
  ] as const) {
    await t.ok(api.post('/api/v1/salespeople', { salespersonId: who, name: who, teamId: team, hiredOn: '2025-01-01' }));
  }
  const customer = (customerId: string, salesCredits: Array<{ salespersonId: string; splitBps: number }>) =>
    t.ok(api.post('/api/v1/customers', { customerId, name: customerId, paymentTermsDays: 30, salesCredits }));
  await customer('C1', [
    { salespersonId: 'alice', splitBps: 6000 },
    { salespersonId: 'bob', splitBps: 4000 },
  ]);
  await customer('C2', [{ salespersonId: 'alice', splitBps: 10000 }]);
  await customer('C3', [{ salespersonId: 'carol', splitBps: 10000 }]);
  const book = (orderId: string, customerId: string, amount: number, date: string) =>
    t.ok(api.post('/api/v1/orders', { orderId, customerId, amount: USD(amount), bookedAt: at(date) }));
  const invoice = (orderId: string, invoiceId: string, amount: number, date: string, dueDate: string) =>
    t.ok(
      api.post(`/api/v1/orders/${orderId}/invoices`, { invoiceId, amount: USD(amount), issuedAt: at(date), dueDate }),
    );
  const pay = (orderId: string, paymentId: string, amount: number, date: string) =>
    t.ok(api.post(`/api/v1/orders/${orderId}/payments`, { paymentId, amount: USD(amount), receivedAt: at(date) }));

  // O1 (C1): two instalments of 50,000 due 03-03 and 03-31; 30,000 on time, the rest late.
  await book('O1', 'C1', 100000, '2026-02-01');
  await invoice('O1', 'O1-I1', 50000, '2026-02-01', '2026-03-03');
  await invoice('O1', 'O1-I2', 50000, '2026-03-01', '2026-03-31');
  await pay('O1', 'O1-P1', 30000, '2026-03-02');
  await pay('O1', 'O1-P2', 20000, '2026-03-10');
  // O2 (C2): 40,000 invoiced due 03-20, 10,000 cancelled, 20,000 paid late, 10,000 written off in April.
  await book('O2', 'C2', 40000, '2026-03-05');
  await invoice('O2', 'O2-I1', 40000, '2026-03-05', '2026-03-20');
  await t.ok(
    api.post('/api/v1/orders/O2/cancellations', {
      cancellationId: 'O2-X1',
      cancelledAt: at('2026-03-10'),
      reason: 'scope cut',
      amount: USD(10000),
    }),
  );
  await pay('O2', 'O2-P1', 20000, '2026-03-25');
  await t.ok(
    api.post('/api/v1/orders/O2/write-offs', {
      writeOffId: 'O2-W1',
      writtenOffAt: at('2026-04-05'),
      reason: 'insolvent',
    }),
  );
  // O3 (C3, carol): paid in full on the due date, 5,000 returned and refunded.
  await book('O3', 'C3', 20000, '2026-03-01');
  await invoice('O3', 'O3-I1', 20000, '2026-03-01', '2026-03-15');
  await pay('O3', 'O3-P1', 20000, '2026-03-15');
  await t.ok(
    api.post('/api/v1/orders/O3/returns', {
      returnId: 'O3-R1',
      returnedAt: at('2026-03-20'),
      reason: 'damaged',
      amount: USD(5000),
    }),
  );
  // O4 (C1): 10,001 booked in March, invoiced due in April (odd cents: 6,001 / 4,000 shares).
  await book('O4', 'C1', 10001, '2026-03-10');
  await invoice('O4', 'O4-I1', 10001, '2026-03-10', '2026-04-09');
  // What was known before O1's last payment (recorded after this instant).
  await new Promise((resolve) => setTimeout(resolve, 20)); // distinct record times, not a projection wait
  beforeLastPayment = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await pay('O1', 'O1-P3', 50000, '2026-04-10');
  expect(await system.engine.waitFor(['dashboard', 'track-to-cash'], BigInt(t.lastPosition), 20_000)).toBe('reached');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('collection KPIs of March 2026 as of 2026-04-15', () => {
  it('per salesperson: credited shares of due, collected (to date, on time), DSO and days to pay', async () => {
    const answer = await kpis(`period=${PERIOD}&groupBy=salesperson&asOf=${ASOF}`);
    expect(answer).toMatchObject({
      period: PERIOD,
      groupBy: 'salesperson',
      asOf: '2026-04-15T00:00:00.000Z',
      receivablesAt: '2026-03-31T23:59:59.999Z',
      daysInPeriod: 31,
      nextCursor: null,
    });
    expect(answer.items).toEqual([
      row('alice', 90000, 80000, 18000, 8888, 2000, 46001, 36001, 40, 50000, '1366000', 27),
      row('bob', 40000, 40000, 12000, 10000, 3000, 24000, 4000, 186, 20000, '644000', 32),
      row('carol', 15000, 15000, 15000, 10000, 10000, 0, 15000, 0, 20000, '280000', 14),
    ]);
  });

  it('per team: the sums of the members, ratios recomputed from the sums', async () => {
    const answer = await kpis(`period=${PERIOD}&groupBy=team&asOf=${ASOF}`);
    expect(answer.items).toEqual([
      row('east', 130000, 120000, 30000, 9230, 2307, 70001, 40001, 54, 70000, '2010000', 29),
      row('west', 15000, 15000, 15000, 10000, 10000, 0, 15000, 0, 20000, '280000', 14),
    ]);
  });

  it('per customer (a role that reads everything): whole amounts, and totals per currency', async () => {
    const answer = await kpis(`period=${PERIOD}&groupBy=customer&asOf=${ASOF}`);
    expect(answer.items).toEqual([
      row('C1', 100000, 100000, 30000, 10000, 3000, 60001, 10001, 186, 50000, '1610000', 32),
      row('C2', 30000, 20000, 0, 6666, 0, 10000, 30000, 10, 20000, '400000', 20),
      row('C3', 15000, 15000, 15000, 10000, 10000, 0, 15000, 0, 20000, '280000', 14),
    ]);
    const { key: _key, ...totals } = row('', 145000, 135000, 45000, 9310, 3103, 70001, 55001, 39, 90000, '2290000', 25);
    expect(answer.totals).toEqual([totals]);
  });

  it("DSO's inputs are the dashboard's own achieved and outstanding of the period", async () => {
    const dashboard = await api.get<{ items: Array<{ key: string; achieved: number; outstanding: number }> }>(
      `/api/v1/dashboard?period=${PERIOD}&groupBy=salesperson&asOf=${ASOF}`,
      t.consistent(),
    );
    const answer = await kpis(`period=${PERIOD}&groupBy=salesperson&asOf=${ASOF}`);
    expect(answer.items.map((r) => [r.key, r.sales, r.outstanding])).toEqual(
      dashboard.body.items.map((r) => [r.key, r.achieved, r.outstanding]),
    );
  });
});

describe('scoping', () => {
  it('a manager sees their team: by salesperson and by customer (their shares), not the other team', async () => {
    const east = api.as(tokenFor({ sub: 'boss-east', roles: ['manager'], teamId: 'east' }));
    expect((await kpis(`period=${PERIOD}&groupBy=salesperson&asOf=${ASOF}`, east)).items.map((r) => r.key)).toEqual([
      'alice',
      'bob',
    ]);
    expect((await kpis(`period=${PERIOD}&groupBy=team&asOf=${ASOF}`, east)).items.map((r) => r.key)).toEqual(['east']);
    expect((await kpis(`period=${PERIOD}&groupBy=customer&asOf=${ASOF}`, east)).items).toEqual([
      row('C1', 100000, 100000, 30000, 10000, 3000, 60001, 10001, 186, 50000, '1610000', 32),
      row('C2', 30000, 20000, 0, 6666, 0, 10000, 30000, 10, 20000, '400000', 20),
    ]);
  });

  it('a rep sees only their own credited share, also of a shared customer', async () => {
    const bob = api.as(tokenFor({ sub: 'bob@corp', roles: ['rep'], salespersonId: 'bob' }));
    expect((await kpis(`period=${PERIOD}&groupBy=salesperson&asOf=${ASOF}`, bob)).items).toEqual([
      row('bob', 40000, 40000, 12000, 10000, 3000, 24000, 4000, 186, 20000, '644000', 32),
    ]);
    expect((await kpis(`period=${PERIOD}&groupBy=customer&asOf=${ASOF}`, bob)).items).toEqual([
      row('C1', 40000, 40000, 12000, 10000, 3000, 24000, 4000, 186, 20000, '644000', 32),
    ]);
  });
});

describe('asOf and knownAt', () => {
  it('asOf in the middle of March: only invoices due by then, DSO over the 16 days so far', async () => {
    const answer = await kpis(`period=${PERIOD}&groupBy=customer&asOf=2026-03-16T00:00:00Z`);
    expect(answer).toMatchObject({ receivablesAt: '2026-03-16T00:00:00.000Z', daysInPeriod: 16 });
    const by = new Map(answer.items.map((r) => [r.key, r]));
    expect(by.get('C1')).toMatchObject({
      due: 50000,
      collectedToDate: 50000,
      collectedOnTime: 30000,
      collectionRateBps: 10000,
      onTimeRateBps: 6000,
      outstanding: 60001,
      sales: 10001,
      dsoDays: 96,
    });
    expect(by.get('C2')).toMatchObject({
      due: 0,
      collectionRateBps: null,
      outstanding: 30000,
      sales: 30000,
      dsoDays: 16,
    });
    expect(by.get('C3')).toMatchObject({ due: 20000, collectedOnTime: 20000, collectionRateBps: 10000 });
  });

  it("knownAt before O1's last payment: it is not collected yet", async () => {
    const answer = await kpis(`period=${PERIOD}&groupBy=salesperson&asOf=${ASOF}&knownAt=${beforeLastPayment}`);
    const by = new Map(answer.items.map((r) => [r.key, r]));
    expect(by.get('alice')).toMatchObject({
      due: 90000,
      collectedToDate: 50000,
      collectionRateBps: 5555,
      collectedOnTime: 18000,
    });
    expect(by.get('bob')).toMatchObject({ due: 40000, collectedToDate: 20000, collectionRateBps: 5000 });
  });
});

describe('refusals', () => {
  it.each([
    ['groupBy=businessUnit', 'groupBy'],
    ['period=2026-13', 'period'],
    ['asOf=yesterday', 'asOf'],
    ['knownAt=2026-99-01', 'knownAt'],
    ['period=0000-01', 'period'],
    ['asOf=0000-06-01T00:00:00Z', 'asOf'],
  ])('%s is 400 naming %s', async (query, field) => {
    const r = await api.get<{ code: string; errors?: Array<{ field: string }> }>(
      `/api/v1/dashboard/collection-kpis?${query}`,
    );
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain(field);
  });
});
