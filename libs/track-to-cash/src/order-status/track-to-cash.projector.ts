import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { Projector, ReplayTable } from '../../../projections/src/projector';
import { projectTrackToCash } from './track-to-cash.projection';

const BOOKED_IN_PERIOD = `to_char(booked_at AT TIME ZONE 'UTC', 'YYYY-MM') = $1`;

/** Writes the order headers, credits and milestones the pure projection returns. */
export class TrackToCashProjector implements Projector {
  readonly name = 'track-to-cash';
  readonly tables = ['ttc_orders', 'ttc_order_credits', 'ttc_milestones', 'ttc_salespeople'];
  /** A period's orders are those booked in it; its milestones are those dated in it. */
  readonly replayScope: readonly ReplayTable[] = [
    { table: 'ttc_orders', key: ['order_id'], periodFilter: BOOKED_IN_PERIOD },
    {
      table: 'ttc_order_credits',
      key: ['order_id', 'salesperson_id'],
      periodFilter: `order_id IN (SELECT order_id FROM ttc_orders WHERE ${BOOKED_IN_PERIOD})`,
    },
    { table: 'ttc_milestones', periodFilter: `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM') = $1` },
    { table: 'ttc_salespeople', key: ['salesperson_id'] },
  ];

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) {
      for (const change of projectTrackToCash(event)) {
        if (change.kind === 'salesperson') {
          await manager.query(
            `INSERT INTO ttc_salespeople (salesperson_id, team_id) VALUES ($1, $2) ON CONFLICT (salesperson_id) DO NOTHING`,
            [change.salespersonId, change.teamId],
          );
        } else if (change.kind === 'order') {
          const o = change.order;
          await manager.query(
            `INSERT INTO ttc_orders (order_id, customer_id, currency, booked_at, default_due_date, business_unit, sales_credits)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              o.orderId,
              o.customerId,
              o.currency,
              o.bookedAt,
              o.defaultDueDate,
              o.businessUnit,
              JSON.stringify(o.salesCredits),
            ],
          );
          for (const c of o.salesCredits) {
            await manager.query(
              `INSERT INTO ttc_order_credits (order_id, salesperson_id, split_bps) VALUES ($1, $2, $3)`,
              [o.orderId, c.salespersonId, c.splitBps],
            );
          }
        } else {
          const m = change.milestone;
          await manager.query(
            `INSERT INTO ttc_milestones (order_id, type, at, amount, due_date, refund_part, ref, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [m.orderId, m.type, m.at, m.amount, m.dueDate, m.refundPart, m.ref, m.recordedAt],
          );
        }
      }
    }
  }
}
