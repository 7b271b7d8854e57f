import type { DataSource } from 'typeorm';
import { daysBetween, utcDate } from '../../../shared-kernel/src/time';
import {
  type AgingBucket,
  agingBucket,
  evaluateOrder,
  type Milestone,
  type OrderAtAsOf,
  type OrderHeader,
} from './track-to-cash.projection';

interface OrderRow {
  order_id: string;
  customer_id: string;
  currency: string;
  booked_at: Date;
  default_due_date: string;
  business_unit: string | null;
  sales_credits: OrderHeader['salesCredits'];
}

interface MilestoneRow {
  order_id: string;
  type: Milestone['type'];
  at: Date;
  amount: string;
  due_date: string | null;
  refund_part: string;
  ref: string;
  recorded_at: Date;
}

const header = (r: OrderRow): OrderHeader => ({
  orderId: r.order_id,
  customerId: r.customer_id,
  currency: r.currency,
  bookedAt: r.booked_at.toISOString(),
  defaultDueDate: r.default_due_date,
  businessUnit: r.business_unit,
  salesCredits: r.sales_credits,
});

/**
 * Reads orders and evaluates them at asOf (business time), counting only what was recorded by
 * knownAt (record time). `where` filters ttc_orders (alias o) with `$n` placeholders in `params`.
 */
export async function ordersAt(
  db: DataSource,
  where: string,
  params: unknown[],
  asOf: Date,
  knownAt: Date | null,
  orderBy = 'o.order_id',
  limit: number | null = null,
): Promise<Array<{ header: OrderHeader; state: OrderAtAsOf }>> {
  const p = [...params, asOf.toISOString(), knownAt?.toISOString() ?? null];
  const asOfParam = `$${p.length - 1}::timestamptz`;
  const knownParam = `$${p.length}::timestamptz`;
  if (limit !== null) p.push(limit);
  const orders = (await db.query(
    `SELECT o.order_id, o.customer_id, o.currency, o.booked_at, to_char(o.default_due_date, 'YYYY-MM-DD') AS default_due_date,
            o.business_unit, o.sales_credits
       FROM ttc_orders o
      WHERE (${where}) AND o.booked_at <= ${asOfParam}
        AND EXISTS (SELECT 1 FROM ttc_milestones b WHERE b.order_id = o.order_id AND b.type = 'BOOKED'
                      AND (${knownParam} IS NULL OR b.recorded_at <= ${knownParam}))
      ORDER BY ${orderBy}${limit !== null ? ` LIMIT $${p.length}` : ''}`,
    p,
  )) as OrderRow[];
  if (orders.length === 0) return [];
  const milestones = (await db.query(
    `SELECT order_id, type, at, amount::text AS amount, to_char(due_date, 'YYYY-MM-DD') AS due_date,
            refund_part::text AS refund_part, ref, recorded_at
       FROM ttc_milestones
      WHERE order_id = ANY($1::text[]) AND at <= $2::timestamptz AND ($3::timestamptz IS NULL OR recorded_at <= $3::timestamptz)
      ORDER BY order_id, seq`,
    [orders.map((o) => o.order_id), asOf.toISOString(), knownAt?.toISOString() ?? null],
  )) as MilestoneRow[];
  const byOrder = new Map<string, Milestone[]>();
  for (const m of milestones) {
    const list = byOrder.get(m.order_id) ?? [];
    list.push({
      orderId: m.order_id,
      type: m.type,
      at: m.at.toISOString(),
      amount: Number(m.amount),
      dueDate: m.due_date,
      refundPart: Number(m.refund_part),
      ref: m.ref,
      recordedAt: m.recorded_at.toISOString(),
    });
    byOrder.set(m.order_id, list);
  }
  const out: Array<{ header: OrderHeader; state: OrderAtAsOf }> = [];
  for (const row of orders) {
    const h = header(row);
    const state = evaluateOrder(h, byOrder.get(row.order_id) ?? [], asOf.toISOString());
    if (state) out.push({ header: h, state });
  }
  return out;
}

/** An order with something still to collect at asOf, as aging and the dashboard need it. */
export interface OpenReceivable {
  readonly header: OrderHeader;
  readonly receivable: number;
  /** The latest invoice's due date counted at asOf, else booking date + payment terms. */
  readonly dueDate: string;
  readonly daysPastDue: number;
  readonly bucket: AgingBucket;
  /** Status OVERDUE (receivable > 0, net ≠ 0 and asOf's date after the due date). */
  readonly overdue: boolean;
}

/**
 * The orders with a receivable > 0 at asOf (counting only what was recorded by knownAt), summed
 * by PostgreSQL: the same arithmetic as evaluateOrder (net = booked − cancelled − returned,
 * paidNet = payments − refunds, receivable = max(0, net − paidNet − writtenOff), due date = the
 * last invoice's) without shipping every milestone to JavaScript. `where` filters ttc_orders
 * (alias o) with `$n` placeholders in `params`. Equivalence with evaluateOrder is tested.
 */
export async function receivablesAt(
  db: DataSource,
  where: string,
  params: unknown[],
  asOf: Date,
  knownAt: Date | null,
): Promise<OpenReceivable[]> {
  const p = [...params, asOf.toISOString(), knownAt?.toISOString() ?? null];
  const asOfParam = `$${p.length - 1}::timestamptz`;
  const knownParam = `$${p.length}::timestamptz`;
  const rows = (await db.query(
    `SELECT o.order_id, o.customer_id, o.currency, o.booked_at, to_char(o.default_due_date, 'YYYY-MM-DD') AS default_due_date,
            o.business_unit, o.sales_credits, t.net::text AS net,
            greatest(0, t.net - t.paid_net - t.written_off)::text AS receivable,
            coalesce(to_char(t.last_due, 'YYYY-MM-DD'), to_char(o.default_due_date, 'YYYY-MM-DD')) AS due_date
       FROM ttc_orders o
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(m.amount) FILTER (WHERE m.type = 'BOOKED'), 0)
                  - coalesce(sum(m.amount) FILTER (WHERE m.type IN ('CANCELLATION', 'RETURN')), 0) AS net,
                coalesce(sum(m.amount) FILTER (WHERE m.type = 'PAYMENT'), 0)
                  - coalesce(sum(m.refund_part) FILTER (WHERE m.type IN ('CANCELLATION', 'RETURN')), 0) AS paid_net,
                coalesce(sum(m.amount) FILTER (WHERE m.type = 'WRITE_OFF'), 0) AS written_off,
                (array_agg(m.due_date ORDER BY m.seq DESC)
                   FILTER (WHERE m.type = 'INVOICED' AND m.due_date IS NOT NULL))[1] AS last_due
           FROM ttc_milestones m
          WHERE m.order_id = o.order_id AND m.at <= ${asOfParam}
            AND (${knownParam} IS NULL OR m.recorded_at <= ${knownParam})
       ) t
      WHERE (${where}) AND o.booked_at <= ${asOfParam}
        AND EXISTS (SELECT 1 FROM ttc_milestones b WHERE b.order_id = o.order_id AND b.type = 'BOOKED'
                      AND (${knownParam} IS NULL OR b.recorded_at <= ${knownParam}))
        AND t.net - t.paid_net - t.written_off > 0
      ORDER BY o.order_id`,
    p,
  )) as Array<OrderRow & { net: string; receivable: string; due_date: string }>;
  const asOfDate = utcDate(asOf.toISOString());
  return rows.map((r) => {
    const daysPastDue = daysBetween(r.due_date, asOfDate);
    return {
      header: header(r),
      receivable: Number(r.receivable),
      dueDate: r.due_date,
      daysPastDue,
      bucket: agingBucket(daysPastDue),
      overdue: Number(r.net) !== 0 && asOfDate > r.due_date,
    };
  });
}
