/**
 * The fast read models of aging, the dashboard and the track-to-cash list (each order's running
 * totals, read where they are exact at asOf/knownAt, and the dashboard's per-period sums) answer
 * exactly what evaluating every order milestone by milestone (evaluateOrder) answers, on real
 * PostgreSQL: random valid histories (test/support/order-history.ts, decided by the real
 * deciders, business times that go back and forth) are projected by the real projectors in
 * random batches, then compared at many asOf (before, between and after milestones) and knownAt
 * (historical and none) values, for every groupBy and read scope.
 */
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import { CommissionLedgerProjector } from '../../../commissions/src/commission-ledger/commission-ledger.projector';
import { DashboardProjector } from '../../../dashboard/src/figures/dashboard.projector';
import {
  type DashboardGroupBy,
  endOfPeriod,
  GetDashboardQuery,
  GetDashboardQueryHandler,
} from '../../../dashboard/src/figures/get-dashboard.query-handler';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { createDataSource } from '../../../platform/src/database/data-source';
import { parsePage } from '../../../platform/src/http/pagination';
import { credited } from '../../../shared-kernel/src/money';
import { scenarioArbitrary, simulate, storedEvents } from '../../../../test/support/order-history';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ordersAt } from './order-status.read-model';
import type { AgingBucket } from './track-to-cash.projection';
import { TrackToCashProjector } from './track-to-cash.projector';
import {
  type AgingGroupBy,
  GetAgingHandler,
  GetAgingQuery,
  ListTrackToCashHandler,
  ListTrackToCashQuery,
} from './track-to-cash.queries';
import type { AgingRowDto } from './track-to-cash.response.dto';

const SEED = 20_261_123;
let db: TestDatabase;
let ds: DataSource;
let events: StoredEvent[];

beforeAll(async () => {
  db = await createTestDatabase();
  ds = createDataSource(db.url, APP_SCHEMA);
  await ds.initialize();
  // Given several random histories sharing one database, their events interleaved in record time
  const scenarios = fc.sample(scenarioArbitrary({ maxOrders: 10, maxOpsPerOrder: 6, maxSalespeople: 4 }), {
    seed: SEED,
    numRuns: 12,
  });
  events = scenarios
    .flatMap((s, i) => storedEvents(simulate(s, `h${i}-`), Date.UTC(2026, 0, 1) + i * 333))
    .sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
  // When the projectors apply them in random batches (each in its own transaction)
  const projectors = [new CommissionLedgerProjector(), new TrackToCashProjector(), new DashboardProjector()];
  const sizes = fc.sample(fc.integer({ min: 1, max: 40 }), { seed: SEED, numRuns: events.length });
  for (let i = 0, k = 0; i < events.length; k++) {
    const batch = events.slice(i, i + (sizes[k] ?? 7));
    i += batch.length;
    await ds.transaction(async (m) => {
      for (const p of projectors) await p.apply(batch, m);
    });
  }
}, 120_000);

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const recordedAt = (fraction: number) => events[Math.floor((events.length - 1) * fraction)]!.recordedAt;
const ASOFS = [
  '2026-01-03T00:00:00.000Z',
  '2026-01-20T13:30:00.000Z',
  '2026-02-28T23:59:59.999Z',
  '2026-04-15T08:00:00.000Z',
  '2026-07-01T00:00:00.000Z',
  '2027-01-31T12:00:00.000Z',
  '2028-01-01T00:00:00.000Z',
];
const knownAts = () => [null, recordedAt(0.3), recordedAt(0.6), recordedAt(0.9)];

async function teamsOf(table: 'ttc_salespeople' | 'dash_salespeople'): Promise<Map<string, string | null>> {
  const rows = (await ds.query(`SELECT salesperson_id, team_id FROM ${table}`)) as Array<{
    salesperson_id: string;
    team_id: string | null;
  }>;
  return new Map(rows.map((r) => [r.salesperson_id, r.team_id]));
}

async function scopes(): Promise<ReadScope[]> {
  const teams = await teamsOf('ttc_salespeople');
  const someone = [...teams.keys()].sort()[1]!;
  return [
    { kind: 'all' },
    { kind: 'salesperson', salespersonId: someone },
    { kind: 'team', teamId: teams.get(someone)! },
  ];
}

/** Aging as evaluating every order milestone by milestone gives it. */
async function slowAging(groupBy: AgingGroupBy, asOf: Date, knownAt: Date | null, scope: ReadScope) {
  const teams = await teamsOf('ttc_salespeople');
  const visible = (sp: string) =>
    scope.kind === 'all' ||
    (scope.kind === 'salesperson' && scope.salespersonId === sp) ||
    (scope.kind === 'team' && teams.get(sp) === scope.teamId);
  const rows = new Map<string, AgingRowDto>();
  const add = (key: string, currency: string, bucket: AgingBucket, amount: number) => {
    const id = `${key}\u0000${currency}`;
    const row = rows.get(id) ?? { key, currency, current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90plus: 0, total: 0 };
    row[bucket] += amount;
    row.total += amount;
    rows.set(id, row);
  };
  for (const { header, state } of await ordersAt(ds, 'TRUE', [], asOf, knownAt)) {
    if (state.receivable <= 0) continue;
    if (groupBy === 'customer' && scope.kind === 'all') {
      add(header.customerId, header.currency, state.bucket, state.receivable);
      continue;
    }
    for (const c of header.salesCredits) {
      if (!visible(c.salespersonId)) continue;
      const key =
        groupBy === 'salesperson'
          ? c.salespersonId
          : groupBy === 'team'
            ? (teams.get(c.salespersonId) ?? '(no team)')
            : header.customerId;
      add(key, header.currency, state.bucket, Number(credited(BigInt(state.receivable), BigInt(c.splitBps))));
    }
  }
  return [...rows.values()].sort((a, b) =>
    a.key === b.key ? a.currency.localeCompare(b.currency) : a.key.localeCompare(b.key),
  );
}

describe('given histories projected in random batches', () => {
  it('then the orders have receivables and milestones dated after some asOf values (the slow path is exercised)', async () => {
    const [r] = (await ds.query(
      `SELECT count(*)::int AS orders, count(*) FILTER (WHERE receivable > 0)::int AS open,
              count(*) FILTER (WHERE max_at > '2026-04-15')::int AS later FROM ttc_order_totals`,
    )) as Array<{ orders: number; open: number; later: number }>;
    expect(r!.orders).toBeGreaterThan(30);
    expect(r!.open).toBeGreaterThan(3);
    expect(r!.later).toBeGreaterThan(3);
  });

  it('when aging is asked at any asOf/knownAt, by every groupBy and scope, then it equals the milestone-by-milestone aging', async () => {
    const handler = new GetAgingHandler(ds);
    let nonEmpty = 0;
    for (const asOfText of ASOFS) {
      for (const known of knownAts()) {
        const asOf = new Date(asOfText);
        const knownAt = known === null ? null : new Date(known);
        for (const scope of await scopes()) {
          for (const groupBy of ['salesperson', 'customer', 'team'] as const) {
            const fast = await handler.execute(new GetAgingQuery(groupBy, asOf, knownAt, scope));
            const slow = await slowAging(groupBy, asOf, knownAt, scope);
            expect({ asOfText, known, scope, groupBy, items: fast.items }).toEqual({
              asOfText,
              known,
              scope,
              groupBy,
              items: slow,
            });
            if (slow.length > 0) nonEmpty++;
          }
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('when the list is filtered by status, page by page, then the pages equal those of evaluating every order', async () => {
    const handler = new ListTrackToCashHandler(ds);
    const statuses = ['OVERDUE', 'PAID', 'PARTIALLY_PAID', 'INVOICED', 'BOOKED', 'CANCELLED', 'WRITTEN_OFF'];
    let matched = 0;
    for (const asOfText of ASOFS) {
      for (const known of knownAts()) {
        const asOf = new Date(asOfText);
        const knownAt = known === null ? null : new Date(known);
        const all = await ordersAt(ds, 'TRUE', [], asOf, knownAt);
        for (const scope of (await scopes()).slice(0, 2)) {
          const inScope = (o: (typeof all)[number]) =>
            scope.kind !== 'salesperson' || o.header.salesCredits.some((c) => c.salespersonId === scope.salespersonId);
          for (const status of statuses) {
            const expected = all.filter((o) => o.state.status === status && inScope(o)).map((o) => o.state.orderId);
            matched += expected.length;
            const limit = 3;
            const got: string[] = [];
            let cursor: string | undefined;
            for (let page = 0; ; page++) {
              const answer = await handler.execute(
                new ListTrackToCashQuery({ status }, asOf, knownAt, scope, parsePage(String(limit), cursor)),
              );
              const want = expected.slice(page * limit, (page + 1) * limit);
              expect({ asOfText, known, status, page, ids: answer.items.map((i) => i.orderId) }).toEqual({
                asOfText,
                known,
                status,
                page,
                ids: want,
              });
              for (const item of answer.items) {
                const state = all.find((o) => o.state.orderId === item.orderId)!.state;
                expect(item.status).toBe(state.status);
                expect(item.receivable).toBe(state.receivable);
                expect(item.dueDate).toBe(state.dueDate);
              }
              got.push(...answer.items.map((i) => i.orderId));
              const more = expected.length > (page + 1) * limit;
              expect(answer.nextCursor !== null).toBe(more);
              if (!answer.nextCursor) break;
              cursor = answer.nextCursor;
            }
            expect(got).toEqual(expected);
          }
        }
      }
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('when the dashboard is asked for a period at any asOf/knownAt, then its receivables and facts equal the milestone-by-milestone and fact-by-fact sums', async () => {
    const handler = new GetDashboardQueryHandler(ds);
    const teams = await teamsOf('dash_salespeople');
    for (const period of ['2026-01', '2026-03', '2026-12']) {
      for (const asOfText of [ASOFS[2]!, ASOFS[4]!, '2030-01-01T00:00:00.000Z']) {
        for (const known of knownAts()) {
          for (const scope of await scopes()) {
            for (const groupBy of ['salesperson', 'team', 'businessUnit'] as DashboardGroupBy[]) {
              const asOf = new Date(asOfText);
              const knownAt = known === null ? null : new Date(known);
              const answer = await handler.execute(new GetDashboardQuery(period, groupBy, asOf, knownAt, scope));
              const end = endOfPeriod(period);
              const at = asOf < end ? asOf : end;
              const visible = (sp: string) =>
                scope.kind === 'all' ||
                (scope.kind === 'salesperson' && scope.salespersonId === sp) ||
                (scope.kind === 'team' && teams.get(sp) === scope.teamId);
              const keyOf = (sp: string, bu: string | null) =>
                groupBy === 'salesperson' ? sp : groupBy === 'team' ? (teams.get(sp) ?? '(no team)') : (bu ?? '(none)');
              const expected = new Map<
                string,
                { outstanding: bigint; overdue: bigint; achieved: bigint; collected: bigint }
              >();
              const acc = (key: string, currency: string) => {
                const id = `${key}/${currency}`;
                const a = expected.get(id) ?? { outstanding: 0n, overdue: 0n, achieved: 0n, collected: 0n };
                expected.set(id, a);
                return a;
              };
              for (const { header, state } of await ordersAt(ds, 'TRUE', [], at, knownAt)) {
                if (state.receivable <= 0) continue;
                for (const c of header.salesCredits) {
                  if (!visible(c.salespersonId)) continue;
                  const share = credited(BigInt(state.receivable), BigInt(c.splitBps));
                  const a = acc(keyOf(c.salespersonId, header.businessUnit), header.currency);
                  a.outstanding += share;
                  if (state.status === 'OVERDUE') a.overdue += share;
                }
              }
              const facts = (await ds.query(
                `SELECT salesperson_id, currency, business_unit, kind, amount::text AS amount FROM dash_facts
                  WHERE period = $1 AND ($2::timestamptz IS NULL OR recorded_at <= $2::timestamptz)`,
                [period, known],
              )) as Array<{
                salesperson_id: string;
                currency: string;
                business_unit: string | null;
                kind: string;
                amount: string;
              }>;
              for (const f of facts) {
                if (!visible(f.salesperson_id)) continue;
                const a = acc(keyOf(f.salesperson_id, f.business_unit), f.currency);
                if (f.kind === 'ACHIEVED') a.achieved += BigInt(f.amount);
                else a.collected += BigInt(f.amount);
              }
              const got = new Map(
                answer.items.map((i) => [
                  `${i.key}/${i.currency}`,
                  {
                    outstanding: BigInt(i.outstanding),
                    overdue: BigInt(i.overdue),
                    achieved: BigInt(i.achieved),
                    collected: BigInt(i.collected),
                  },
                ]),
              );
              const zero = { outstanding: 0n, overdue: 0n, achieved: 0n, collected: 0n };
              for (const id of new Set([...expected.keys(), ...got.keys()])) {
                expect({ period, asOfText, known, scope, groupBy, id, sums: got.get(id) ?? zero }).toEqual({
                  period,
                  asOfText,
                  known,
                  scope,
                  groupBy,
                  id,
                  sums: expected.get(id) ?? zero,
                });
              }
              for (const id of expected.keys()) expect(got.has(id)).toBe(true);
              expect(answer.receivablesAt).toBe(at.toISOString());
            }
          }
        }
      }
    }
  }, 120_000);
});
