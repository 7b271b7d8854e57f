import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { Projector, ReplayTable } from '../../../projections/src/projector';
import {
  DASHBOARD_EVENT_TYPES,
  type DashboardChange,
  type DashboardCredit,
  type DashboardFact,
  projectDashboard,
} from './dashboard.projection';

const RELEVANT = new Set<string>(DASHBOARD_EVENT_TYPES);

export class DashboardProjector implements Projector {
  readonly name = 'dashboard';
  readonly tables = [
    'dash_order_credits',
    'dash_facts',
    'dash_fact_totals',
    'dash_quotas',
    'dash_quota_history',
    'dash_salespeople',
  ];
  /** A period's facts are those of its month; credits, quotas and salespeople are compared whole. */
  readonly replayScope: readonly ReplayTable[] = [
    { table: 'dash_facts', periodFilter: 'period = $1' },
    {
      table: 'dash_fact_totals',
      periodFilter: 'period = $1',
      key: ['period', 'salesperson_id', 'currency', 'business_unit', 'kind'],
    },
    { table: 'dash_order_credits', key: ['order_id', 'salesperson_id'] },
    { table: 'dash_quotas', key: ['salesperson_id', 'year'] },
    { table: 'dash_salespeople', key: ['salesperson_id'] },
  ];

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const relevant = events.filter((e) => RELEVANT.has(e.type));
    if (relevant.length === 0) return;
    const orderIds = [
      ...new Set(
        relevant
          .map((e) => (e.data as { orderId?: unknown }).orderId)
          .filter((x): x is string => typeof x === 'string'),
      ),
    ];
    const credits = new Map<string, DashboardCredit[]>();
    if (orderIds.length > 0) {
      const rows = (await manager.query(
        `SELECT order_id, salesperson_id, split_bps, currency, business_unit FROM dash_order_credits
          WHERE order_id = ANY($1::text[]) ORDER BY order_id, position`,
        [orderIds],
      )) as Array<{
        order_id: string;
        salesperson_id: string;
        split_bps: number;
        currency: string;
        business_unit: string | null;
      }>;
      for (const r of rows) {
        const list = credits.get(r.order_id) ?? [];
        list.push({
          orderId: r.order_id,
          salespersonId: r.salesperson_id,
          splitBps: r.split_bps,
          currency: r.currency,
          businessUnit: r.business_unit,
        });
        credits.set(r.order_id, list);
      }
    }
    const view = { credits: (orderId: string) => credits.get(orderId) ?? [] };
    // The batch's rows, built in memory and written with one multi-row statement per table.
    const newCredits: Array<DashboardCredit & { position: number }> = [];
    const facts: DashboardFact[] = [];
    const sums = new Map<string, { fact: DashboardFact; amount: bigint }>();
    const salespeople: Array<[string, string | null]> = [];
    const quotas: Array<Extract<DashboardChange, { kind: 'quota' }>> = [];
    for (const event of relevant) {
      for (const change of projectDashboard(view, event)) {
        switch (change.kind) {
          case 'credit': {
            const list = credits.get(change.credit.orderId) ?? [];
            list.push(change.credit);
            credits.set(change.credit.orderId, list);
            newCredits.push({ ...change.credit, position: list.length - 1 });
            break;
          }
          case 'fact': {
            const f = change.fact;
            facts.push(f);
            const key = JSON.stringify([f.period, f.salespersonId, f.currency, f.businessUnit, f.kind]);
            const sum = sums.get(key) ?? { fact: f, amount: 0n };
            sum.amount += f.amount;
            sums.set(key, sum);
            break;
          }
          case 'quota':
            quotas.push(change);
            break;
          case 'salesperson':
            salespeople.push([change.salespersonId, change.teamId]);
            break;
        }
      }
    }
    if (newCredits.length > 0) {
      await manager.query(
        `INSERT INTO dash_order_credits (order_id, salesperson_id, position, split_bps, currency, business_unit)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[])`,
        [
          newCredits.map((c) => c.orderId),
          newCredits.map((c) => c.salespersonId),
          newCredits.map((c) => c.position),
          newCredits.map((c) => c.splitBps),
          newCredits.map((c) => c.currency),
          newCredits.map((c) => c.businessUnit),
        ],
      );
    }
    if (facts.length > 0) {
      await manager.query(
        `INSERT INTO dash_facts (salesperson_id, period, currency, business_unit, kind, amount, recorded_at)
         SELECT s, p, c, bu, k, a, r
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[])
                WITH ORDINALITY AS u(s, p, c, bu, k, a, r, n)
          ORDER BY n`,
        [
          facts.map((f) => f.salespersonId),
          facts.map((f) => f.period),
          facts.map((f) => f.currency),
          facts.map((f) => f.businessUnit),
          facts.map((f) => f.kind),
          facts.map((f) => f.amount.toString()),
          facts.map((f) => f.recordedAt),
        ],
      );
      const totals = [...sums.values()];
      await manager.query(
        `INSERT INTO dash_fact_totals (period, salesperson_id, currency, business_unit, kind, amount)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
         ON CONFLICT ON CONSTRAINT dash_fact_totals_key DO UPDATE SET amount = dash_fact_totals.amount + EXCLUDED.amount`,
        [
          totals.map((t) => t.fact.period),
          totals.map((t) => t.fact.salespersonId),
          totals.map((t) => t.fact.currency),
          totals.map((t) => t.fact.businessUnit),
          totals.map((t) => t.fact.kind),
          totals.map((t) => t.amount.toString()),
        ],
      );
    }
    for (const change of quotas) {
      await manager.query(
        `INSERT INTO dash_quotas (salesperson_id, year, currency, monthly_targets) VALUES ($1, $2, $3, $4)
         ON CONFLICT (salesperson_id, year) DO UPDATE SET currency = EXCLUDED.currency, monthly_targets = EXCLUDED.monthly_targets`,
        [change.salespersonId, change.year, change.currency, JSON.stringify(change.monthlyTargets)],
      );
      await manager.query(
        `INSERT INTO dash_quota_history (salesperson_id, year, currency, monthly_targets, recorded_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [change.salespersonId, change.year, change.currency, JSON.stringify(change.monthlyTargets), change.recordedAt],
      );
    }
    if (salespeople.length > 0) {
      await manager.query(
        `INSERT INTO dash_salespeople (salesperson_id, team_id) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (salesperson_id) DO NOTHING`,
        [salespeople.map((s) => s[0]), salespeople.map((s) => s[1])],
      );
    }
  }
}
