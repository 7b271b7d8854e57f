import { ForbiddenException, Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../../eventsourcing/src/decider';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { encodeCursor, type Page, type PageRequest } from '../../../platform/src/http/pagination';
import { utcDate } from '../../../shared-kernel/src/time';
import { agingBucketSql, creditedSql, openReceivablesSql, ordersAt } from './order-status.read-model';
import type { AgingBucket, OrderAtAsOf } from './track-to-cash.projection';
import type { AgingDto, AgingRowDto, TrackToCashDto } from './track-to-cash.response.dto';

/** SQL that keeps the orders a scope may see (alias o). */
function orderScope(scope: ReadScope, params: unknown[]): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'salesperson') {
    params.push(scope.salespersonId);
    return `EXISTS (SELECT 1 FROM ttc_order_credits c WHERE c.order_id = o.order_id AND c.salesperson_id = $${params.length})`;
  }
  params.push(scope.teamId);
  return `EXISTS (SELECT 1 FROM ttc_order_credits c JOIN ttc_salespeople s ON s.salesperson_id = c.salesperson_id
                   WHERE c.order_id = o.order_id AND s.team_id = $${params.length})`;
}

function toDto(s: OrderAtAsOf): TrackToCashDto {
  return {
    orderId: s.orderId,
    customerId: s.customerId,
    status: s.status,
    currency: s.currency,
    booked: s.booked,
    cancelled: s.cancelled,
    returned: s.returned,
    net: s.net,
    invoiced: s.invoiced,
    paidNet: s.paidNet,
    refunded: s.refunded,
    writtenOff: s.writtenOff,
    receivable: s.receivable,
    dueDate: s.dueDate,
    daysOverdue: s.daysOverdue,
    daysToCash: s.daysToCash,
    agingBucket: s.bucket,
    milestones: s.milestones.map((m) => ({ ...m })),
  };
}

export class GetOrderTrackToCashQuery {
  constructor(
    readonly orderId: string,
    readonly asOf: Date,
    readonly knownAt: Date | null,
    readonly scope: ReadScope,
  ) {}
}

@QueryHandler(GetOrderTrackToCashQuery)
export class GetOrderTrackToCashHandler implements IQueryHandler<GetOrderTrackToCashQuery, TrackToCashDto> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: GetOrderTrackToCashQuery): Promise<TrackToCashDto> {
    const [found] = await ordersAt(this.db, 'o.order_id = $1', [q.orderId], q.asOf, q.knownAt);
    if (!found) throw new NotFoundError('Order', q.orderId);
    if (q.scope.kind !== 'all') {
      const params: unknown[] = [q.orderId];
      const visible = (await this.db.query(
        `SELECT 1 FROM ttc_orders o WHERE o.order_id = $1 AND ${orderScope(q.scope, params)}`,
        params,
      )) as unknown[];
      if (visible.length === 0) throw new ForbiddenException(`You may not read order ${q.orderId}`);
    }
    return toDto(found.state);
  }
}

export interface TrackToCashFilter {
  readonly status?: string;
  readonly salespersonId?: string;
  readonly customerId?: string;
}

export class ListTrackToCashQuery {
  constructor(
    readonly filter: TrackToCashFilter,
    readonly asOf: Date,
    readonly knownAt: Date | null,
    readonly scope: ReadScope,
    readonly page: PageRequest,
  ) {}
}

/**
 * The status an order has at asOf when its running totals are exact then, as SQL on
 * ttc_order_totals (alias o): the rules of evaluateOrder, first match wins.
 */
function statusSql(status: string, asOfDate: string): string {
  const open = `o.net <> 0 AND o.receivable <> 0`;
  const notDue = `${open} AND NOT (${asOfDate} > o.due_date)`;
  switch (status) {
    case 'CANCELLED':
      return 'o.net = 0';
    case 'PAID':
      return 'o.net <> 0 AND o.receivable = 0 AND o.written_off = 0';
    case 'WRITTEN_OFF':
      return 'o.net <> 0 AND o.receivable = 0 AND o.written_off <> 0';
    case 'OVERDUE':
      return `${open} AND ${asOfDate} > o.due_date`;
    case 'PARTIALLY_PAID':
      return `${notDue} AND o.paid_net > 0`;
    case 'INVOICED':
      return `${notDue} AND NOT (o.paid_net > 0) AND o.invoiced > 0`;
    default:
      return `${notDue} AND NOT (o.paid_net > 0) AND NOT (o.invoiced > 0)`;
  }
}

/**
 * Orders at asOf, by order id, page by page. With a status filter, the candidates are read from
 * the running totals: the orders whose totals are exact at asOf/knownAt and have that status, and
 * every order whose totals are not exact then; each candidate is then evaluated milestone by
 * milestone (evaluateOrder) and kept only if it has the status, so a page reads about `limit`
 * orders and answers exactly what evaluating every order would.
 */
@QueryHandler(ListTrackToCashQuery)
export class ListTrackToCashHandler implements IQueryHandler<ListTrackToCashQuery, Page<TrackToCashDto>> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: ListTrackToCashQuery): Promise<Page<TrackToCashDto>> {
    const items: TrackToCashDto[] = [];
    let after = q.page.after;
    const status = q.filter.status;
    const chunk = status ? q.page.limit + 1 : Math.max(200, q.page.limit + 1);
    for (;;) {
      const params: unknown[] = [];
      const where = [orderScope(q.scope, params)];
      if (q.filter.customerId) {
        params.push(q.filter.customerId);
        where.push(`o.customer_id = $${params.length}`);
      }
      if (q.filter.salespersonId) {
        params.push(q.filter.salespersonId);
        where.push(
          `EXISTS (SELECT 1 FROM ttc_order_credits f WHERE f.order_id = o.order_id AND f.salesperson_id = $${params.length})`,
        );
      }
      if (after !== null) {
        params.push(after);
        where.push(`o.order_id > $${params.length}`);
      }
      let rows: Awaited<ReturnType<typeof ordersAt>>;
      let scanned: number;
      let lastScanned: string | undefined;
      if (status) {
        const ids = await this.candidates(status, where.join(' AND '), params, q.asOf, q.knownAt, chunk);
        scanned = ids.length;
        lastScanned = ids[ids.length - 1];
        rows =
          ids.length === 0 ? [] : await ordersAt(this.db, 'o.order_id = ANY($1::text[])', [ids], q.asOf, q.knownAt);
      } else {
        rows = await ordersAt(this.db, where.join(' AND '), params, q.asOf, q.knownAt, 'o.order_id', chunk);
        scanned = rows.length;
        lastScanned = rows[rows.length - 1]?.header.orderId;
      }
      for (const { state } of rows) {
        if (status && state.status !== status) continue;
        if (items.length === q.page.limit) {
          const last = items[items.length - 1]!;
          return { items, nextCursor: encodeCursor(last.orderId) };
        }
        items.push(toDto(state));
      }
      if (scanned < chunk || lastScanned === undefined) return { items, nextCursor: null };
      after = lastScanned;
    }
  }

  /** Up to `limit` order ids, in order, that may have `status` at asOf (a superset of those that do). */
  private async candidates(
    status: string,
    where: string,
    params: unknown[],
    asOf: Date,
    knownAt: Date | null,
    limit: number,
  ): Promise<string[]> {
    const p = [...params, asOf.toISOString(), utcDate(asOf.toISOString()), limit];
    const asOfParam = `$${p.length - 2}::timestamptz`;
    const asOfDate = `$${p.length - 1}::date`;
    const limitParam = `$${p.length}`;
    let exact = `o.max_at <= ${asOfParam}`;
    let notExact = `o.max_at > ${asOfParam}`;
    if (knownAt) {
      p.push(knownAt.toISOString());
      exact += ` AND o.max_recorded_at <= $${p.length}::timestamptz`;
      notExact = `(${notExact} OR o.max_recorded_at > $${p.length}::timestamptz)`;
    }
    const rows = (await this.db.query(
      `SELECT c.order_id FROM (
         (SELECT o.order_id FROM ttc_order_totals o
           WHERE (${where}) AND ${exact} AND ${asOfDate} IS NOT NULL AND ${statusSql(status, asOfDate)}
           ORDER BY o.order_id LIMIT ${limitParam})
         UNION ALL
         (SELECT o.order_id FROM ttc_order_totals o
           WHERE (${where}) AND ${notExact} AND o.booked_at <= ${asOfParam}
           ORDER BY o.order_id LIMIT ${limitParam})
       ) c ORDER BY c.order_id LIMIT ${limitParam}`,
      p,
    )) as Array<{ order_id: string }>;
    return rows.map((r) => r.order_id);
  }
}

export type AgingGroupBy = 'salesperson' | 'customer' | 'team';

export class GetAgingQuery {
  constructor(
    readonly groupBy: AgingGroupBy,
    readonly asOf: Date,
    readonly knownAt: Date | null,
    readonly scope: ReadScope,
  ) {}
}

/**
 * Receivables at asOf by days past due. By customer: the whole receivable. By salesperson: the
 * credited receivable, roundHalfUp(receivable × split / 10^4). By team: the sum over its members.
 */
@QueryHandler(GetAgingQuery)
export class GetAgingHandler implements IQueryHandler<GetAgingQuery, AgingDto> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: GetAgingQuery): Promise<AgingDto> {
    const p: unknown[] = [q.asOf.toISOString(), utcDate(q.asOf.toISOString())];
    if (q.knownAt) p.push(q.knownAt.toISOString());
    const open = openReceivablesSql('$1::timestamptz', q.knownAt ? '$3::timestamptz' : null);
    const bucket = agingBucketSql('r.due_date', '$2::date');
    const wholeByCustomer = q.groupBy === 'customer' && q.scope.kind === 'all';
    let sums: Array<{
      salesperson_id: string | null;
      customer_id: string;
      currency: string;
      bucket: AgingBucket;
      amount: string;
    }>;
    if (wholeByCustomer) {
      sums = (await this.db.query(
        `SELECT NULL AS salesperson_id, r.customer_id, r.currency, ${bucket} AS bucket, sum(r.receivable)::text AS amount
           FROM (${open}) r GROUP BY r.customer_id, r.currency, 4`,
        p,
      )) as typeof sums;
    } else {
      // Credited shares; a scoped caller sees only the shares of the salespeople in scope.
      let visible = 'TRUE';
      if (q.scope.kind === 'salesperson') {
        p.push(q.scope.salespersonId);
        visible = `c.salesperson_id = $${p.length}`;
      } else if (q.scope.kind === 'team') {
        p.push(q.scope.teamId);
        visible = `c.salesperson_id IN (SELECT s.salesperson_id FROM ttc_salespeople s WHERE s.team_id = $${p.length})`;
      }
      const customer = q.groupBy === 'customer' ? 'r.customer_id' : 'NULL::text';
      sums = (await this.db.query(
        `SELECT c.salesperson_id, ${customer} AS customer_id, r.currency, ${bucket} AS bucket,
                sum(${creditedSql('r.receivable', 'c.split_bps')})::text AS amount
           FROM (${open}) r
          CROSS JOIN LATERAL unnest(r.credit_salespeople, r.credit_splits) AS c(salesperson_id, split_bps)
          WHERE ${visible}
          GROUP BY c.salesperson_id, 2, r.currency, 4`,
        p,
      )) as typeof sums;
    }
    const teams =
      q.groupBy === 'team'
        ? new Map<string, string | null>(
            (
              (await this.db.query('SELECT salesperson_id, team_id FROM ttc_salespeople')) as Array<{
                salesperson_id: string;
                team_id: string | null;
              }>
            ).map((r) => [r.salesperson_id, r.team_id]),
          )
        : new Map<string, string | null>();
    const rows = new Map<string, AgingRowDto>();
    for (const s of sums) {
      const key =
        q.groupBy === 'customer'
          ? s.customer_id
          : q.groupBy === 'salesperson'
            ? s.salesperson_id!
            : (teams.get(s.salesperson_id!) ?? '(no team)');
      const id = `${key}\u0000${s.currency}`;
      const row = rows.get(id) ?? {
        key,
        currency: s.currency,
        current: 0,
        d1_30: 0,
        d31_60: 0,
        d61_90: 0,
        d90plus: 0,
        total: 0,
      };
      const amount = Number(s.amount);
      row[s.bucket] += amount;
      row.total += amount;
      rows.set(id, row);
    }
    const items = [...rows.values()].sort((a, b) =>
      a.key === b.key ? a.currency.localeCompare(b.currency) : a.key.localeCompare(b.key),
    );
    return { asOf: q.asOf.toISOString(), groupBy: q.groupBy, items, nextCursor: null };
  }
}
