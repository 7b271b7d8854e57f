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
 * SQL of the orders with a receivable > 0 at asOf (business time), counting only what was recorded
 * by knownAt (record time): columns order_id, customer_id, currency, business_unit,
 * credit_salespeople and credit_splits (the sales credits), receivable, due_date (date), net. An order whose running totals (ttc_order_totals) are exact then — every
 * milestone dated ≤ asOf and, at a knownAt, recorded by it — is read from them; the others (a
 * milestone dated after asOf, or recorded after knownAt) are summed milestone by milestone with
 * the same arithmetic as evaluateOrder (net = booked − cancelled − returned, paidNet = payments −
 * refunds, receivable = max(0, net − paidNet − writtenOff), due date = the last invoice's).
 * `asOf` and `knownAt` are SQL expressions (placeholders); knownAt null = everything recorded.
 */
export function openReceivablesSql(asOf: string, knownAt: string | null): string {
  const exact = knownAt === null ? `t.max_at <= ${asOf}` : `t.max_at <= ${asOf} AND t.max_recorded_at <= ${knownAt}`;
  const notExact = knownAt === null ? `t.max_at > ${asOf}` : `(t.max_at > ${asOf} OR t.max_recorded_at > ${knownAt})`;
  const known = (alias: string) => (knownAt === null ? '' : ` AND ${alias}.recorded_at <= ${knownAt}`);
  return `SELECT t.order_id, t.customer_id, t.currency, t.business_unit, t.credit_salespeople, t.credit_splits,
           t.receivable, t.due_date, t.net
      FROM ttc_order_totals t
     WHERE t.receivable > 0 AND ${exact}
    UNION ALL
    SELECT t.order_id, t.customer_id, t.currency, t.business_unit, t.credit_salespeople, t.credit_splits, s.receivable,
           coalesce(s.last_due, o.default_due_date) AS due_date, s.net
      FROM ttc_order_totals t
      JOIN ttc_orders o ON o.order_id = t.order_id
     CROSS JOIN LATERAL (
       SELECT x.net, greatest(0, x.net - x.paid_net - x.written_off) AS receivable, x.last_due
         FROM (
           SELECT coalesce(sum(m.amount) FILTER (WHERE m.type = 'BOOKED'), 0)
                    - coalesce(sum(m.amount) FILTER (WHERE m.type IN ('CANCELLATION', 'RETURN')), 0) AS net,
                  coalesce(sum(m.amount) FILTER (WHERE m.type = 'PAYMENT'), 0)
                    - coalesce(sum(m.refund_part) FILTER (WHERE m.type IN ('CANCELLATION', 'RETURN')), 0) AS paid_net,
                  coalesce(sum(m.amount) FILTER (WHERE m.type = 'WRITE_OFF'), 0) AS written_off,
                  (array_agg(m.due_date ORDER BY m.seq DESC)
                     FILTER (WHERE m.type = 'INVOICED' AND m.due_date IS NOT NULL))[1] AS last_due
             FROM ttc_milestones m
            WHERE m.order_id = t.order_id AND m.at <= ${asOf}${known('m')}
         ) x
     ) s
     WHERE ${notExact} AND t.booked_at <= ${asOf} AND s.receivable > 0
       ${
         knownAt === null
           ? ''
           : `AND EXISTS (SELECT 1 FROM ttc_milestones b WHERE b.order_id = t.order_id AND b.type = 'BOOKED'${known('b')})`
       }`;
}

/** SQL of the aging bucket of `due` (a date) at `asOfDate` (a date), as agingBucket. */
export function agingBucketSql(due: string, asOfDate: string): string {
  return `CASE WHEN ${asOfDate} - ${due} <= 0 THEN 'current' WHEN ${asOfDate} - ${due} <= 30 THEN 'd1_30'
               WHEN ${asOfDate} - ${due} <= 60 THEN 'd31_60' WHEN ${asOfDate} - ${due} <= 90 THEN 'd61_90'
               ELSE 'd90plus' END`;
}

/** SQL of credited(amount, splitBps) = roundHalfUp(amount × split / 10^4) for amount ≥ 0, as numeric. */
export function creditedSql(amount: string, splitBps: string): string {
  return `div(2 * ${amount}::numeric * ${splitBps} + 10000, 20000)`;
}

/**
 * The orders with a receivable > 0 at asOf (counting only what was recorded by knownAt), one
 * row each (openReceivablesSql). `where` filters ttc_orders (alias o) with `$n` placeholders in
 * `params`. Equivalence with evaluateOrder is tested.
 */
export async function receivablesAt(
  db: DataSource,
  where: string,
  params: unknown[],
  asOf: Date,
  knownAt: Date | null,
): Promise<OpenReceivable[]> {
  const p = [...params, asOf.toISOString()];
  const asOfParam = `$${p.length}::timestamptz`;
  if (knownAt) p.push(knownAt.toISOString());
  const knownParam = knownAt ? `$${p.length}::timestamptz` : null;
  const rows = (await db.query(
    `SELECT o.order_id, o.customer_id, o.currency, o.booked_at, to_char(o.default_due_date, 'YYYY-MM-DD') AS default_due_date,
            o.business_unit, o.sales_credits, r.net::text AS net, r.receivable::text AS receivable,
            to_char(r.due_date, 'YYYY-MM-DD') AS due_date
       FROM (${openReceivablesSql(asOfParam, knownParam)}) r
       JOIN ttc_orders o ON o.order_id = r.order_id
      WHERE (${where})
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
