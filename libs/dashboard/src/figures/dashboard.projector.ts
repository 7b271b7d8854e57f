import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { type BulkColumn, insertRows } from '../../../projections/src/bulk-insert';
import type { Projector, ReplayTable } from '../../../projections/src/projector';
import {
  DASHBOARD_EVENT_TYPES,
  type DashboardChange,
  type DashboardCredit,
  type DashboardFact,
  projectDashboard,
} from './dashboard.projection';

const RELEVANT = new Set<string>(DASHBOARD_EVENT_TYPES);

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const ORDER_CREDITS: readonly BulkColumn[] = [
  text('order_id'),
  text('salesperson_id'),
  { name: 'position', type: 'integer' },
  { name: 'split_bps', type: 'integer' },
  text('currency'),
  text('business_unit'),
  { name: 'sell_in', type: 'boolean' },
];
const FACTS: readonly BulkColumn[] = [
  text('salesperson_id'),
  text('period'),
  text('currency'),
  text('business_unit'),
  text('kind'),
  { name: 'amount', type: 'bigint' },
  { name: 'recorded_at', type: 'timestamptz' },
];
const FACT_TOTALS: readonly BulkColumn[] = [
  text('period'),
  text('salesperson_id'),
  text('currency'),
  text('business_unit'),
  text('kind'),
  { name: 'amount', type: 'bigint' },
];
const SALESPEOPLE: readonly BulkColumn[] = [text('salesperson_id'), text('team_id')];
const SECONDARY_SALES: readonly BulkColumn[] = [text('sale_id'), text('business_unit')];

export class DashboardProjector implements Projector {
  readonly name = 'dashboard';
  readonly tables = [
    'dash_order_credits',
    'dash_facts',
    'dash_fact_totals',
    'dash_quotas',
    'dash_quota_history',
    'dash_salespeople',
    'dash_secondary_sales',
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
    { table: 'dash_quotas', key: ['salesperson_id', 'year', 'business_unit'] },
    { table: 'dash_salespeople', key: ['salesperson_id'] },
    { table: 'dash_secondary_sales', key: ['sale_id'] },
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
        `SELECT order_id, salesperson_id, split_bps, currency, business_unit, sell_in FROM dash_order_credits
          WHERE order_id = ANY($1::text[]) ORDER BY order_id, position`,
        [orderIds],
      )) as Array<{
        order_id: string;
        salesperson_id: string;
        split_bps: number;
        currency: string;
        business_unit: string | null;
        sell_in: boolean;
      }>;
      for (const r of rows) {
        const list = credits.get(r.order_id) ?? [];
        list.push({
          orderId: r.order_id,
          salespersonId: r.salesperson_id,
          splitBps: r.split_bps,
          currency: r.currency,
          businessUnit: r.business_unit,
          sellIn: r.sell_in,
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
    const secondarySales: Array<[string, string | null]> = [];
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
          case 'secondary-sale':
            secondarySales.push([change.saleId, change.businessUnit]);
            break;
        }
      }
    }
    await insertRows(
      manager,
      'dash_order_credits',
      ORDER_CREDITS,
      newCredits.map((c) => [c.orderId, c.salespersonId, c.position, c.splitBps, c.currency, c.businessUnit, c.sellIn]),
    );
    await insertRows(
      manager,
      'dash_facts',
      FACTS,
      facts.map((f) => [f.salespersonId, f.period, f.currency, f.businessUnit, f.kind, f.amount, f.recordedAt]),
    );
    await insertRows(
      manager,
      'dash_fact_totals',
      FACT_TOTALS,
      [...sums.values()].map((t) => [
        t.fact.period,
        t.fact.salespersonId,
        t.fact.currency,
        t.fact.businessUnit,
        t.fact.kind,
        t.amount,
      ]),
      'ON CONFLICT ON CONSTRAINT dash_fact_totals_key DO UPDATE SET amount = dash_fact_totals.amount + EXCLUDED.amount',
    );
    // Latest per (salesperson, year, business unit) wins; the history keeps every one for knownAt.
    for (const change of quotas) {
      const values = [
        change.salespersonId,
        change.year,
        change.businessUnit,
        change.currency,
        JSON.stringify(change.monthlyTargets),
      ];
      await manager.query(
        `INSERT INTO dash_quotas (salesperson_id, year, business_unit, currency, monthly_targets)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ON CONSTRAINT dash_quotas_key
           DO UPDATE SET currency = EXCLUDED.currency, monthly_targets = EXCLUDED.monthly_targets`,
        values,
      );
      await manager.query(
        `INSERT INTO dash_quota_history (salesperson_id, year, business_unit, currency, monthly_targets, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [...values, change.recordedAt],
      );
    }
    await insertRows(manager, 'dash_salespeople', SALESPEOPLE, salespeople, 'ON CONFLICT (salesperson_id) DO NOTHING');
    await insertRows(
      manager,
      'dash_secondary_sales',
      SECONDARY_SALES,
      secondarySales,
      'ON CONFLICT (sale_id) DO NOTHING',
    );
  }
}
