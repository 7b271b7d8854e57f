/**
 * The dashboard of channel sales and business units on real PostgreSQL
 * (docs/plans-and-channels.md): given quotas per business unit, a primary sale to a distributor
 * (sell-in) with a payment and a cancellation, a direct sale and a secondary sale, projected by
 * the real projectors, then each grouping shows targets summed per unit, salesperson or team,
 * achieved without the sell-in, the sell-in apart, and quotas as known at a knownAt.
 */
import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { createDataSource } from '../../../platform/src/database/data-source';
import { compareProjectionTables } from '../../../projections/src/shadow/compare-tables';
import { createShadowTables, dropSchema, withSearchPath } from '../../../projections/src/shadow/shadow-schema';
import type {
  OrderCancelled,
  PaymentReceived,
  QuotaSet,
  SaleBooked,
  SalespersonRegistered,
  SecondarySaleReported,
} from '../../../sales/src/contracts/sales.events';
import { TrackToCashProjector } from '../../../track-to-cash/src/order-status/track-to-cash.projector';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { DashboardProjector } from './dashboard.projector';
import type { DashboardRowDto } from './dashboard.response.dto';
import { type DashboardGroupBy, GetDashboardQuery, GetDashboardQueryHandler } from './get-dashboard.query-handler';

let db: TestDatabase;
let ds: DataSource;
const RECORDED_FROM = Date.UTC(2026, 1, 1);
/** Record time of the n-th event (1-based). */
const recordedAt = (n: number) => new Date(RECORDED_FROM + n * 1000).toISOString();
const events: StoredEvent[] = [];

function append(type: string, data: unknown, streamId: string): void {
  const n = events.length + 1;
  events.push({
    id: `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data,
    occurredAt: recordedAt(n),
    recordedAt: recordedAt(n),
    metadata: { actor: 't', commandId: `c${n}`, commandType: 'T', correlationId: `c${n}`, causationId: `c${n}` },
    streamId,
    streamRevision: 0n,
    globalPosition: BigInt(n),
    logPosition: { major: BigInt(n), minor: BigInt(n) },
  });
}

const USD = (amount: number) => ({ amount, currency: 'USD' });
const registered = (salespersonId: string, teamId: string): SalespersonRegistered['data'] => ({
  salespersonId,
  name: salespersonId,
  managerId: null,
  teamId,
  hiredOn: '2025-01-01',
});
const quota = (quotaId: string, salespersonId: string, monthly: number, businessUnit?: string): QuotaSet['data'] => ({
  quotaId,
  salespersonId,
  year: 2026,
  annualTarget: USD(monthly * 12),
  monthlyWeightsBps: [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833],
  monthlyTargets: Array<number>(12).fill(monthly),
  ...(businessUnit === undefined ? {} : { businessUnit }),
});
const sale = (
  orderId: string,
  customerId: string,
  amount: number,
  bookedAt: string,
  salesCredits: SaleBooked['data']['salesCredits'],
  businessUnit: string | null,
  toDistributor?: true,
): SaleBooked['data'] => ({
  orderId,
  customerId,
  amount: USD(amount),
  bookedAt,
  salesCredits,
  paymentTermsDays: 30,
  dueDate: '2026-02-15',
  businessUnit,
  lines: [],
  ...(toDistributor ? { toDistributor } : {}),
});

/** Record times around the second (latest) retail quota of alice. */
let beforeQuotas: string;
let beforeNewRetailQuota: string;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = createDataSource(db.url, APP_SCHEMA);
  await ds.initialize();
  append('SalespersonRegistered', registered('alice', 'T1'), 'salesperson-alice');
  append('SalespersonRegistered', registered('bob', 'T1'), 'salesperson-bob');
  append('SalespersonRegistered', registered('carol', 'T2'), 'salesperson-carol');
  beforeQuotas = recordedAt(events.length);
  // Given alice's quota without a unit (100 a month) and one for retail (50), bob's for retail (30)
  append('QuotaSet', quota('QA', 'alice', 100), 'quota-alice.2026');
  append('QuotaSet', quota('QAR1', 'alice', 50, 'retail'), 'quota-alice.2026.retail');
  append('QuotaSet', quota('QBR', 'bob', 30, 'retail'), 'quota-bob.2026.retail');
  // A direct sale of alice's in enterprise, and a primary sale to a distributor in retail (60/40)
  append(
    'SaleBooked',
    sale('O1', 'C1', 1000, '2026-01-10T00:00:00.000Z', [{ salespersonId: 'alice', splitBps: 10000 }], 'enterprise'),
    'order-O1',
  );
  const split = [
    { salespersonId: 'alice', splitBps: 6000 },
    { salespersonId: 'bob', splitBps: 4000 },
  ];
  append('SaleBooked', sale('P1', 'D1', 2000, '2026-01-12T00:00:00.000Z', split, 'retail', true), 'order-P1');
  append(
    'PaymentReceived',
    {
      orderId: 'P1',
      paymentId: 'PAY1',
      amount: USD(500),
      receivedAt: '2026-01-20T00:00:00.000Z',
    } satisfies PaymentReceived['data'],
    'order-P1',
  );
  // The sell-in is partly cancelled, and a secondary sale of the distributor is reported
  append(
    'OrderCancelled',
    {
      orderId: 'P1',
      cancellationId: 'X1',
      amount: USD(500),
      unpaidPart: 500,
      refundPart: 0,
      reason: 'r',
      bookedAt: '2026-01-12T00:00:00.000Z',
      cancelledAt: '2026-01-25T00:00:00.000Z',
    } satisfies OrderCancelled['data'],
    'order-P1',
  );
  append(
    'SecondarySaleReported',
    {
      saleId: 'S1',
      distributorId: 'D1',
      amount: USD(800),
      soldAt: '2026-01-28T00:00:00.000Z',
      endCustomer: 'End Corp',
      businessUnit: 'retail',
      salesCredits: [
        { salespersonId: 'alice', splitBps: 5000 },
        { salespersonId: 'bob', splitBps: 5000 },
      ],
    } satisfies SecondarySaleReported['data'],
    'secondary-sale-S1',
  );
  beforeNewRetailQuota = recordedAt(events.length);
  // Then alice's retail quota is set again (70 a month): the latest of its key wins
  append('QuotaSet', quota('QAR2', 'alice', 70, 'retail'), 'quota-alice.2026.retail');
  // When the projectors apply them in a few batches, each in its own transaction
  const projectors = [new TrackToCashProjector(), new DashboardProjector()];
  for (const batch of [events.slice(0, 4), events.slice(4, 8), events.slice(8)]) {
    await ds.transaction(async (m) => {
      for (const p of projectors) await p.apply(batch, m);
    });
  }
}, 60_000);

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

type Figures = Pick<
  DashboardRowDto,
  'key' | 'target' | 'achieved' | 'attainmentBps' | 'sellIn' | 'collected' | 'outstanding'
>;

async function dashboard(
  groupBy: DashboardGroupBy,
  options: { knownAt?: string; scope?: ReadScope } = {},
): Promise<Figures[]> {
  const answer = await new GetDashboardQueryHandler(ds).execute(
    new GetDashboardQuery(
      '2026-01',
      groupBy,
      new Date('2026-03-01T00:00:00.000Z'),
      options.knownAt === undefined ? null : new Date(options.knownAt),
      options.scope ?? { kind: 'all' },
    ),
  );
  return answer.items.map((r) => {
    expect(r.currency).toBe('USD');
    const { key, target, achieved, attainmentBps, sellIn, collected, outstanding } = r;
    return { key, target, achieved, attainmentBps, sellIn, collected, outstanding };
  });
}

describe('given quotas per business unit, a sell-in with a payment and a cancellation, a direct and a secondary sale', () => {
  it('then per salesperson: the target sums every quota of theirs, achieved leaves the sell-in out, sell-in is net of its cancellation', async () => {
    expect(await dashboard('salesperson')).toEqual([
      // alice: 100 + 70; 1000 direct + 400 secondary; sell-in 1200 − 300; 60% of 500 paid; O1 1000 + 60% of P1's 1000
      {
        key: 'alice',
        target: 170,
        achieved: 1400,
        attainmentBps: 82352,
        sellIn: 900,
        collected: 300,
        outstanding: 1600,
      },
      { key: 'bob', target: 30, achieved: 400, attainmentBps: 133333, sellIn: 600, collected: 200, outstanding: 400 },
    ]);
  });

  it('then per business unit: a unit’s target sums the quotas set for it, and (none) those without a unit', async () => {
    expect(await dashboard('businessUnit')).toEqual([
      { key: '(none)', target: 100, achieved: 0, attainmentBps: 0, sellIn: 0, collected: 0, outstanding: 0 },
      {
        key: 'enterprise',
        target: null,
        achieved: 1000,
        attainmentBps: null,
        sellIn: 0,
        collected: 0,
        outstanding: 1000,
      },
      {
        key: 'retail',
        target: 100,
        achieved: 800,
        attainmentBps: 80000,
        sellIn: 1500,
        collected: 500,
        outstanding: 1000,
      },
    ]);
  });

  it('then per team: the members’ targets summed across units', async () => {
    expect(await dashboard('team')).toEqual([
      { key: 'T1', target: 200, achieved: 1800, attainmentBps: 90000, sellIn: 1500, collected: 500, outstanding: 2000 },
    ]);
  });

  it('when asked at a knownAt before the latest retail quota, then the quota known then counts; before any quota, no target', async () => {
    expect((await dashboard('businessUnit', { knownAt: beforeNewRetailQuota })).map((r) => [r.key, r.target])).toEqual([
      ['(none)', 100],
      ['enterprise', null],
      ['retail', 80],
    ]);
    expect((await dashboard('salesperson', { knownAt: beforeNewRetailQuota })).map((r) => [r.key, r.target])).toEqual([
      ['alice', 150],
      ['bob', 30],
    ]);
    expect((await dashboard('salesperson', { knownAt: beforeQuotas })).map((r) => [r.key, r.target])).toEqual([]);
  });

  it('when a rep reads it, then only their own quotas and figures count, by unit as by salesperson', async () => {
    const scope: ReadScope = { kind: 'salesperson', salespersonId: 'bob' };
    expect(await dashboard('businessUnit', { scope })).toEqual([
      {
        key: 'retail',
        target: 30,
        achieved: 400,
        attainmentBps: 133333,
        sellIn: 600,
        collected: 200,
        outstanding: 400,
      },
    ]);
  });

  it('then the credits of the sell-in are stored as such, quotas one row per salesperson, year and unit, and the secondary sale’s unit', async () => {
    expect(
      await ds.query('SELECT order_id, salesperson_id, sell_in FROM dash_order_credits ORDER BY order_id, position'),
    ).toEqual([
      { order_id: 'O1', salesperson_id: 'alice', sell_in: false },
      { order_id: 'P1', salesperson_id: 'alice', sell_in: true },
      { order_id: 'P1', salesperson_id: 'bob', sell_in: true },
    ]);
    expect(
      await ds.query(
        `SELECT salesperson_id, business_unit, monthly_targets->>0 AS jan FROM dash_quotas
          ORDER BY salesperson_id, business_unit NULLS FIRST`,
      ),
    ).toEqual([
      { salesperson_id: 'alice', business_unit: null, jan: '100' },
      { salesperson_id: 'alice', business_unit: 'retail', jan: '70' },
      { salesperson_id: 'bob', business_unit: 'retail', jan: '30' },
    ]);
    expect(await ds.query('SELECT sale_id, business_unit FROM dash_secondary_sales')).toEqual([
      { sale_id: 'S1', business_unit: 'retail' },
    ]);
  });

  it('when the dashboard is rebuilt from the log in one batch into copies of its tables, then they equal the live ones', async () => {
    const projector = new DashboardProjector();
    const schema = 'dash_channels_rebuilt';
    await ds.transaction((m) => createShadowTables(m, schema, projector.tables));
    try {
      await ds.transaction((m) => withSearchPath(m, schema, () => projector.apply(events, m)));
      const comparison = await ds.transaction((m) =>
        withSearchPath(m, schema, () => compareProjectionTables(projector, '2026-01', ds, m)),
      );
      expect(comparison.differences).toEqual([]);
      expect(comparison.rowsCompared).toBeGreaterThan(15);
    } finally {
      await dropSchema(ds, schema);
    }
  });
});
