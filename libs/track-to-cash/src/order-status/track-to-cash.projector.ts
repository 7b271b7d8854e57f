import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { Projector, ReplayTable } from '../../../projections/src/projector';
import { type BulkColumn, insertRows } from '../../../projections/src/bulk-insert';
import {
  addMilestone,
  emptyTotals,
  type Milestone,
  type OrderHeader,
  type OrderTotals,
  projectTrackToCash,
} from './track-to-cash.projection';

const BOOKED_IN_PERIOD = `to_char(booked_at AT TIME ZONE 'UTC', 'YYYY-MM') = $1`;

interface TotalsRow {
  order_id: string;
  net: string;
  paid_net: string;
  written_off: string;
  invoiced: string;
  receivable: string;
  due_date: string;
  max_at: Date;
  max_recorded_at: Date;
}

/** The order's header columns the totals row repeats, so aging and the dashboard need no join. */
interface TotalsEntry {
  header: Pick<OrderHeader, 'customerId' | 'currency' | 'bookedAt' | 'businessUnit' | 'salesCredits'> | null;
  totals: OrderTotals;
}

const SALESPEOPLE: readonly BulkColumn[] = [
  { name: 'salesperson_id', type: 'text' },
  { name: 'team_id', type: 'text' },
];
const ORDERS: readonly BulkColumn[] = [
  { name: 'order_id', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'currency', type: 'text' },
  { name: 'booked_at', type: 'timestamptz' },
  { name: 'default_due_date', type: 'date' },
  { name: 'business_unit', type: 'text' },
  { name: 'sales_credits', type: 'jsonb' },
];
const CREDITS: readonly BulkColumn[] = [
  { name: 'order_id', type: 'text' },
  { name: 'salesperson_id', type: 'text' },
  { name: 'split_bps', type: 'integer' },
];
const MILESTONES: readonly BulkColumn[] = [
  { name: 'order_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'at', type: 'timestamptz' },
  { name: 'amount', type: 'bigint' },
  { name: 'due_date', type: 'date' },
  { name: 'refund_part', type: 'bigint' },
  { name: 'ref', type: 'text' },
  { name: 'recorded_at', type: 'timestamptz' },
];

/**
 * Writes the order headers, credits, milestones and each order's running totals the pure
 * projection returns: a batch's rows are built in memory and written many per statement
 * (`insertRows`; the totals with their own `INSERT`/`UPDATE … FROM unnest`), in the batch's transaction.
 */
export class TrackToCashProjector implements Projector {
  readonly name = 'track-to-cash';
  readonly tables = ['ttc_orders', 'ttc_order_credits', 'ttc_milestones', 'ttc_salespeople', 'ttc_order_totals'];
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
    { table: 'ttc_order_totals', key: ['order_id'], periodFilter: BOOKED_IN_PERIOD },
  ];

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const salespeople: Array<[string, string | null]> = [];
    const orders: OrderHeader[] = [];
    const milestones: Milestone[] = [];
    const newTotals = new Map<string, TotalsEntry>();
    for (const event of events) {
      for (const change of projectTrackToCash(event)) {
        if (change.kind === 'salesperson') salespeople.push([change.salespersonId, change.teamId]);
        else if (change.kind === 'order') {
          orders.push(change.order);
          newTotals.set(change.order.orderId, {
            header: change.order,
            totals: emptyTotals(change.order, event.recordedAt),
          });
        } else milestones.push(change.milestone);
      }
    }
    await insertRows(manager, 'ttc_salespeople', SALESPEOPLE, salespeople, 'ON CONFLICT (salesperson_id) DO NOTHING');
    await insertRows(
      manager,
      'ttc_orders',
      ORDERS,
      orders.map((o) => [
        o.orderId,
        o.customerId,
        o.currency,
        o.bookedAt,
        o.defaultDueDate,
        o.businessUnit,
        JSON.stringify(o.salesCredits),
      ]),
    );
    await insertRows(
      manager,
      'ttc_order_credits',
      CREDITS,
      orders.flatMap((o) => o.salesCredits.map((c) => [o.orderId, c.salespersonId, c.splitBps])),
    );
    await insertRows(
      manager,
      'ttc_milestones',
      MILESTONES,
      milestones.map((m) => [m.orderId, m.type, m.at, m.amount, m.dueDate, m.refundPart, m.ref, m.recordedAt]),
    );
    // Running totals: those of the orders booked before this batch are read once, then folded.
    const earlier = [...new Set(milestones.map((m) => m.orderId))].filter((id) => !newTotals.has(id));
    const totals = new Map<string, TotalsEntry>(newTotals);
    if (earlier.length > 0) {
      const rows = (await manager.query(
        `SELECT order_id, net::text AS net, paid_net::text AS paid_net, written_off::text AS written_off,
                invoiced::text AS invoiced, receivable::text AS receivable, to_char(due_date, 'YYYY-MM-DD') AS due_date,
                max_at, max_recorded_at
           FROM ttc_order_totals WHERE order_id = ANY($1::text[])`,
        [earlier],
      )) as TotalsRow[];
      for (const r of rows) {
        totals.set(r.order_id, {
          header: null,
          totals: {
            orderId: r.order_id,
            net: Number(r.net),
            paidNet: Number(r.paid_net),
            writtenOff: Number(r.written_off),
            invoiced: Number(r.invoiced),
            receivable: Number(r.receivable),
            dueDate: r.due_date,
            maxAt: r.max_at.toISOString(),
            maxRecordedAt: r.max_recorded_at.toISOString(),
          },
        });
      }
    }
    const touched = new Set<string>(newTotals.keys());
    for (const m of milestones) {
      const entry = totals.get(m.orderId);
      if (!entry) continue; // a milestone of an order never booked: no order to show it on
      entry.totals = addMilestone(entry.totals, m);
      touched.add(m.orderId);
    }
    const entries = [...touched].map((id) => totals.get(id)!);
    const fresh = entries.filter((e) => e.header !== null);
    const updated = entries.filter((e) => e.header === null);
    const columns = (list: TotalsEntry[]) => [
      list.map((e) => e.totals.orderId),
      list.map((e) => e.totals.net),
      list.map((e) => e.totals.paidNet),
      list.map((e) => e.totals.writtenOff),
      list.map((e) => e.totals.invoiced),
      list.map((e) => e.totals.receivable),
      list.map((e) => e.totals.dueDate),
      list.map((e) => e.totals.maxAt),
      list.map((e) => e.totals.maxRecordedAt),
    ];
    const TOTALS = `unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
                           $7::date[], $8::timestamptz[], $9::timestamptz[])
                    AS u(order_id, net, paid_net, written_off, invoiced, receivable, due_date, max_at, max_recorded_at)`;
    if (fresh.length > 0) {
      await manager.query(
        `INSERT INTO ttc_order_totals (order_id, net, paid_net, written_off, invoiced, receivable, due_date, max_at,
                                       max_recorded_at, customer_id, currency, booked_at, business_unit,
                                       credit_salespeople, credit_splits)
         SELECT u.*, h.customer_id, h.currency, h.booked_at, h.business_unit,
                ARRAY(SELECT jsonb_array_elements_text(h.credits->0)), ARRAY(SELECT jsonb_array_elements_text(h.credits->1)::int)
           FROM ${TOTALS}
           JOIN unnest($1::text[], $10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::jsonb[])
                AS h(order_id, customer_id, currency, booked_at, business_unit, credits) ON h.order_id = u.order_id`,
        [
          ...columns(fresh),
          fresh.map((e) => e.header!.customerId),
          fresh.map((e) => e.header!.currency),
          fresh.map((e) => e.header!.bookedAt),
          fresh.map((e) => e.header!.businessUnit),
          fresh.map((e) =>
            JSON.stringify([
              e.header!.salesCredits.map((c) => c.salespersonId),
              e.header!.salesCredits.map((c) => c.splitBps),
            ]),
          ),
        ],
      );
    }
    if (updated.length > 0) {
      await manager.query(
        `UPDATE ttc_order_totals t
            SET net = u.net, paid_net = u.paid_net, written_off = u.written_off, invoiced = u.invoiced,
                receivable = u.receivable, due_date = u.due_date, max_at = u.max_at, max_recorded_at = u.max_recorded_at
           FROM ${TOTALS}
          WHERE t.order_id = u.order_id`,
        columns(updated),
      );
    }
  }
}
