import { ForbiddenException, Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../../eventsourcing/src/decider';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { encodeCursor, type Page, type PageRequest } from '../../../platform/src/http/pagination';
import { credited } from '../../../shared-kernel/src/money';
import { ordersAt, receivablesAt } from './order-status.read-model';
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
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

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

/** Orders at asOf, by order id; the status filter is applied after evaluation, page by page. */
@QueryHandler(ListTrackToCashQuery)
export class ListTrackToCashHandler implements IQueryHandler<ListTrackToCashQuery, Page<TrackToCashDto>> {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: ListTrackToCashQuery): Promise<Page<TrackToCashDto>> {
    const items: TrackToCashDto[] = [];
    let after = q.page.after;
    const chunk = Math.max(200, q.page.limit + 1);
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
      const rows = await ordersAt(this.db, where.join(' AND '), params, q.asOf, q.knownAt, 'o.order_id', chunk);
      for (const { state } of rows) {
        if (q.filter.status && state.status !== q.filter.status) continue;
        if (items.length === q.page.limit) {
          const last = items[items.length - 1]!;
          return { items, nextCursor: encodeCursor(last.orderId) };
        }
        items.push(toDto(state));
      }
      if (rows.length < chunk) return { items, nextCursor: null };
      after = rows[rows.length - 1]!.header.orderId;
    }
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
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: GetAgingQuery): Promise<AgingDto> {
    const params: unknown[] = [];
    const orders = await receivablesAt(this.db, orderScope(q.scope, params), params, q.asOf, q.knownAt);
    const teams = new Map<string, string | null>(
      (
        (await this.db.query('SELECT salesperson_id, team_id FROM ttc_salespeople')) as Array<{
          salesperson_id: string;
          team_id: string | null;
        }>
      ).map((r) => [r.salesperson_id, r.team_id]),
    );
    const rows = new Map<string, AgingRowDto>();
    const add = (key: string, currency: string, bucket: AgingBucket, amount: number) => {
      const id = `${key}\u0000${currency}`;
      const row = rows.get(id) ?? { key, currency, current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90plus: 0, total: 0 };
      row[bucket] += amount;
      row.total += amount;
      rows.set(id, row);
    };
    const visible = (salespersonId: string) =>
      q.scope.kind === 'all' ||
      (q.scope.kind === 'salesperson' && q.scope.salespersonId === salespersonId) ||
      (q.scope.kind === 'team' && teams.get(salespersonId) === q.scope.teamId);
    for (const { header, receivable, bucket } of orders) {
      if (q.groupBy === 'customer' && q.scope.kind === 'all') {
        add(header.customerId, header.currency, bucket, receivable);
        continue;
      }
      // Credited shares; a scoped caller sees only the shares of the salespeople in scope.
      for (const c of header.salesCredits) {
        if (!visible(c.salespersonId)) continue;
        const share = Number(credited(BigInt(receivable), BigInt(c.splitBps)));
        const key =
          q.groupBy === 'salesperson'
            ? c.salespersonId
            : q.groupBy === 'team'
              ? (teams.get(c.salespersonId) ?? '(no team)')
              : header.customerId;
        add(key, header.currency, bucket, share);
      }
    }
    const items = [...rows.values()].sort((a, b) =>
      a.key === b.key ? a.currency.localeCompare(b.currency) : a.key.localeCompare(b.key),
    );
    return { asOf: q.asOf.toISOString(), groupBy: q.groupBy, items, nextCursor: null };
  }
}
