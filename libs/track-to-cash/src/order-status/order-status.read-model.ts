import type { DataSource } from 'typeorm';
import { evaluateOrder, type Milestone, type OrderAtAsOf, type OrderHeader } from './track-to-cash.projection';

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
