import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { Projector, ReplayTable } from '../../../projections/src/projector';
import { DASHBOARD_EVENT_TYPES, type DashboardCredit, projectDashboard } from './dashboard.projection';

const RELEVANT = new Set<string>(DASHBOARD_EVENT_TYPES);

export class DashboardProjector implements Projector {
  readonly name = 'dashboard';
  readonly tables = ['dash_order_credits', 'dash_facts', 'dash_quotas', 'dash_quota_history', 'dash_salespeople'];
  /** A period's facts are those of its month; credits, quotas and salespeople are compared whole. */
  readonly replayScope: readonly ReplayTable[] = [
    { table: 'dash_facts', periodFilter: 'period = $1' },
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
    for (const event of relevant) {
      for (const change of projectDashboard(view, event)) {
        switch (change.kind) {
          case 'credit': {
            const list = credits.get(change.credit.orderId) ?? [];
            list.push(change.credit);
            credits.set(change.credit.orderId, list);
            const c = change.credit;
            await manager.query(
              `INSERT INTO dash_order_credits (order_id, salesperson_id, position, split_bps, currency, business_unit)
               VALUES ($1, $2, $3, $4, $5, $6)`,
              [c.orderId, c.salespersonId, list.length - 1, c.splitBps, c.currency, c.businessUnit],
            );
            break;
          }
          case 'fact': {
            const f = change.fact;
            await manager.query(
              `INSERT INTO dash_facts (salesperson_id, period, currency, business_unit, kind, amount, recorded_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)`,
              [f.salespersonId, f.period, f.currency, f.businessUnit, f.kind, f.amount.toString(), f.recordedAt],
            );
            break;
          }
          case 'quota':
            await manager.query(
              `INSERT INTO dash_quotas (salesperson_id, year, currency, monthly_targets) VALUES ($1, $2, $3, $4)
               ON CONFLICT (salesperson_id, year) DO UPDATE SET currency = EXCLUDED.currency, monthly_targets = EXCLUDED.monthly_targets`,
              [change.salespersonId, change.year, change.currency, JSON.stringify(change.monthlyTargets)],
            );
            await manager.query(
              `INSERT INTO dash_quota_history (salesperson_id, year, currency, monthly_targets, recorded_at)
               VALUES ($1, $2, $3, $4, $5)`,
              [
                change.salespersonId,
                change.year,
                change.currency,
                JSON.stringify(change.monthlyTargets),
                change.recordedAt,
              ],
            );
            break;
          case 'salesperson':
            await manager.query(
              `INSERT INTO dash_salespeople (salesperson_id, team_id) VALUES ($1, $2) ON CONFLICT (salesperson_id) DO NOTHING`,
              [change.salespersonId, change.teamId],
            );
            break;
        }
      }
    }
  }
}
