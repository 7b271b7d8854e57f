import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { credited, toSafeNumber } from '../../../shared-kernel/src/money';
import { utcDate } from '../../../shared-kernel/src/time';
import { openReceivablesSql } from '../../../track-to-cash/src/order-status/order-status.read-model';
import {
  addInputs,
  averageDaysToPay,
  creditedInputs,
  daysCounted,
  dsoDays,
  emptySums,
  type KpiMilestone,
  type KpiSums,
  type OrderKpiInputs,
  orderKpiInputs,
  periodDates,
  rateBps,
} from './collection-kpis';
import type { CollectionKpiFiguresDto, CollectionKpiRowDto, CollectionKpisDto } from './collection-kpis.response.dto';

export type CollectionKpiGroupBy = 'salesperson' | 'team' | 'customer';

export class GetCollectionKpisQuery {
  constructor(
    readonly period: string,
    readonly groupBy: CollectionKpiGroupBy,
    readonly asOf: Date,
    readonly knownAt: Date | null,
    readonly scope: ReadScope,
  ) {}
}

interface OrderInfo {
  customerId: string;
  currency: string;
  credits: Array<{ salespersonId: string; splitBps: number }>;
  inputs: OrderKpiInputs | null;
  outstanding: bigint;
  /** Signed BOOKED / CANCELLATION / RETURN amounts in the period, one per milestone. */
  sales: bigint[];
}

export function figuresOf(s: KpiSums, days: number): CollectionKpiFiguresDto {
  return {
    due: toSafeNumber(s.due),
    collectedToDate: toSafeNumber(s.collectedToDate),
    collectedOnTime: toSafeNumber(s.collectedOnTime),
    collectionRateBps: rateBps(s.collectedToDate, s.due),
    onTimeRateBps: rateBps(s.collectedOnTime, s.due),
    outstanding: toSafeNumber(s.outstanding),
    sales: toSafeNumber(s.sales),
    dsoDays: dsoDays(s.outstanding, s.sales, days),
    paid: toSafeNumber(s.paid),
    paidAmountDays: s.paidAmountDays.toString(),
    averageDaysToPay: averageDaysToPay(s.paid, s.paidAmountDays),
  };
}

/**
 * Collection rate, DSO and average days to pay per salesperson, team or customer for one period
 * (docs/collections-and-credit.md "Collection KPIs"), read from the track-to-cash read models
 * (ttc_orders, ttc_milestones, ttc_order_totals) at asOf and knownAt. Salespeople and teams get
 * their credited shares (roundHalfUp per order and figure); customers the whole amounts for roles
 * that read everything, else the sum of the shares of the salespeople in the caller's scope.
 */
@QueryHandler(GetCollectionKpisQuery)
export class GetCollectionKpisQueryHandler implements IQueryHandler<GetCollectionKpisQuery, CollectionKpisDto> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: GetCollectionKpisQuery): Promise<CollectionKpisDto> {
    const knownAt = q.knownAt?.toISOString() ?? null;
    const asOf = q.asOf.toISOString();
    const { first, last } = periodDates(q.period);
    const end = new Date(`${last}T23:59:59.999Z`);
    const at = (q.asOf < end ? q.asOf : end).toISOString();
    const periodStart = `${first}T00:00:00.000Z`;
    const until = utcDate(at);
    const days = Date.parse(at) < Date.parse(periodStart) ? 0 : daysCounted(q.period, at);
    const known = (alias: string, param: string) =>
      `(${param}::timestamptz IS NULL OR ${alias}.recorded_at <= ${param}::timestamptz)`;

    const orders = new Map<string, OrderInfo>();
    const info = (orderId: string): OrderInfo => {
      let o = orders.get(orderId);
      if (!o) {
        o = { customerId: '', currency: '', credits: [], inputs: null, outstanding: 0n, sales: [] };
        orders.set(orderId, o);
      }
      return o;
    };

    // 1. Orders with an invoice due in P (by asOf) or a payment in P: their milestones at asOf.
    const milestones = (await this.db.query(
      `WITH relevant AS (
         SELECT DISTINCT m.order_id FROM ttc_milestones m
          WHERE m.at <= $1::timestamptz AND ${known('m', '$2')}
            AND ((m.type = 'INVOICED' AND m.due_date BETWEEN $3::date AND $4::date)
              OR (m.type = 'PAYMENT' AND m.at >= $5::timestamptz AND m.at <= $6::timestamptz)))
       SELECT m.order_id, m.seq::text AS seq, m.type, m.at, m.amount::text AS amount,
              to_char(m.due_date, 'YYYY-MM-DD') AS due_date, m.refund_part::text AS refund_part
         FROM ttc_milestones m JOIN relevant r ON r.order_id = m.order_id
        WHERE m.at <= $1::timestamptz AND ${known('m', '$2')}
        ORDER BY m.order_id, m.seq`,
      [asOf, knownAt, first, until, periodStart, at],
    )) as Array<{
      order_id: string;
      seq: string;
      type: KpiMilestone['type'];
      at: Date;
      amount: string;
      due_date: string | null;
      refund_part: string;
    }>;
    const byOrder = new Map<string, KpiMilestone[]>();
    for (const m of milestones) {
      const list = byOrder.get(m.order_id) ?? [];
      list.push({
        seq: Number(m.seq),
        type: m.type,
        at: m.at.toISOString(),
        amount: BigInt(m.amount),
        dueDate: m.due_date,
        refundPart: BigInt(m.refund_part),
      });
      byOrder.set(m.order_id, list);
    }
    for (const [orderId, list] of byOrder) info(orderId).inputs = orderKpiInputs(list, q.period, at);

    // 2. Net sales in P up to `at` (per milestone, as the dashboard's achieved).
    const sales = (await this.db.query(
      `SELECT m.order_id, CASE WHEN m.type = 'BOOKED' THEN m.amount ELSE -m.amount END::text AS amount
         FROM ttc_milestones m
        WHERE m.type IN ('BOOKED', 'CANCELLATION', 'RETURN')
          AND m.at >= $1::timestamptz AND m.at <= $2::timestamptz AND ${known('m', '$3')}
        ORDER BY m.order_id, m.seq`,
      [periodStart, at, knownAt],
    )) as Array<{ order_id: string; amount: string }>;
    for (const s of sales) info(s.order_id).sales.push(BigInt(s.amount));

    // 3. Receivables outstanding at `at` (the dashboard's outstanding).
    const open = (await this.db.query(
      `SELECT r.order_id, r.receivable::text AS receivable
         FROM (${openReceivablesSql('$1::timestamptz', knownAt === null ? null : '$2::timestamptz')}) r`,
      knownAt === null ? [at] : [at, knownAt],
    )) as Array<{ order_id: string; receivable: string }>;
    for (const r of open) info(r.order_id).outstanding = BigInt(r.receivable);

    if (orders.size > 0) {
      const headers = (await this.db.query(
        `SELECT order_id, customer_id, currency, sales_credits FROM ttc_orders WHERE order_id = ANY($1::text[])`,
        [[...orders.keys()]],
      )) as Array<{
        order_id: string;
        customer_id: string;
        currency: string;
        sales_credits: Array<{ salespersonId: string; splitBps: number }>;
      }>;
      for (const h of headers) {
        const o = info(h.order_id);
        o.customerId = h.customer_id;
        o.currency = h.currency;
        o.credits = h.sales_credits;
      }
    }

    const teams = new Map(
      (
        (await this.db.query('SELECT salesperson_id, team_id FROM ttc_salespeople')) as Array<{
          salesperson_id: string;
          team_id: string | null;
        }>
      ).map((r) => [r.salesperson_id, r.team_id]),
    );
    const visible = (sp: string) =>
      q.scope.kind === 'all' ||
      (q.scope.kind === 'salesperson' && q.scope.salespersonId === sp) ||
      (q.scope.kind === 'team' && teams.get(sp) === q.scope.teamId);

    const rows = new Map<string, { key: string; currency: string; sums: KpiSums }>();
    const row = (key: string, currency: string): KpiSums => {
      const id = `${key}\u0000${currency}`;
      let r = rows.get(id);
      if (!r) {
        r = { key, currency, sums: emptySums() };
        rows.set(id, r);
      }
      return r.sums;
    };
    const whole = q.groupBy === 'customer' && q.scope.kind === 'all';
    for (const o of orders.values()) {
      if (o.currency === '') continue; // not in ttc_orders (cannot happen: milestones follow orders)
      if (whole) {
        const sums = row(o.customerId, o.currency);
        if (o.inputs) addInputs(sums, o.inputs);
        sums.outstanding += o.outstanding;
        for (const s of o.sales) sums.sales += s;
        continue;
      }
      for (const c of o.credits) {
        if (!visible(c.salespersonId)) continue;
        const key =
          q.groupBy === 'salesperson'
            ? c.salespersonId
            : q.groupBy === 'team'
              ? (teams.get(c.salespersonId) ?? '(no team)')
              : o.customerId;
        const sums = row(key, o.currency);
        const split = BigInt(c.splitBps);
        if (o.inputs) addInputs(sums, creditedInputs(o.inputs, c.splitBps));
        sums.outstanding += credited(o.outstanding, split);
        for (const s of o.sales) sums.sales += s < 0n ? -credited(-s, split) : credited(s, split);
      }
    }

    const sorted = [...rows.values()].sort((a, b) =>
      a.key === b.key ? a.currency.localeCompare(b.currency) : a.key.localeCompare(b.key),
    );
    const items: CollectionKpiRowDto[] = sorted.map((r) => ({
      key: r.key,
      currency: r.currency,
      ...figuresOf(r.sums, days),
    }));
    const totalsByCurrency = new Map<string, KpiSums>();
    for (const r of sorted) {
      const t = totalsByCurrency.get(r.currency) ?? emptySums();
      for (const k of Object.keys(t) as Array<keyof KpiSums>) t[k] += r.sums[k];
      totalsByCurrency.set(r.currency, t);
    }
    return {
      period: q.period,
      groupBy: q.groupBy,
      asOf,
      receivablesAt: at,
      daysInPeriod: days,
      items,
      totals: [...totalsByCurrency.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, sums]) => ({ currency, ...figuresOf(sums, days) })),
      nextCursor: null,
    };
  }
}
