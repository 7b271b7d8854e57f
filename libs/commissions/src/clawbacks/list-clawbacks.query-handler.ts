import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { scopeCondition } from '../../../platform/src/auth/read-scope';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { type Page, type PageRequest, toPage } from '../../../platform/src/http/pagination';
import { toSafeNumber } from '../../../shared-kernel/src/money';
import type { ClawbackDto } from './clawback.response.dto';

export class ListClawbacksQuery {
  constructor(
    readonly filter: { salespersonId?: string; orderId?: string; period?: string; knownAt: Date | null },
    readonly scope: ReadScope,
    readonly page: PageRequest,
  ) {}
}

/** The clawbacks register: CLAWBACK ledger entries, oldest first (in the order they were made). */
@QueryHandler(ListClawbacksQuery)
export class ListClawbacksQueryHandler implements IQueryHandler<ListClawbacksQuery, Page<ClawbackDto>> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute({ filter, scope, page }: ListClawbacksQuery): Promise<Page<ClawbackDto>> {
    const params: unknown[] = [];
    const where = [`type = 'CLAWBACK'`, scopeCondition(scope, 'salesperson_id', params)];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.salespersonId) add('salesperson_id = ?', filter.salespersonId);
    if (filter.orderId) add('order_id = ?', filter.orderId);
    if (filter.period) add('period = ?', filter.period);
    if (filter.knownAt) add('recorded_at <= ?::timestamptz', filter.knownAt.toISOString());
    if (page.after) add('seq > ?::bigint', page.after);
    params.push(page.limit + 1);
    const rows = (await this.db.query(
      `SELECT seq::text AS seq, entry_id, salesperson_id, order_id, amount::text AS amount, currency, period, occurred_at, explanation
         FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY ledger_entries.seq LIMIT $${params.length}`,
      params,
    )) as Array<{
      seq: string;
      entry_id: string;
      salesperson_id: string;
      order_id: string;
      amount: string;
      currency: string;
      period: string;
      occurred_at: Date;
      explanation: { trigger: string; originalCommission: number; percentBps: number; baseAmount: number };
    }>;
    return toPage(
      rows,
      page,
      (r) => r.seq,
      (r) => ({
        entryId: r.entry_id,
        salespersonId: r.salesperson_id,
        orderId: r.order_id,
        trigger: r.explanation.trigger,
        amount: toSafeNumber(-BigInt(r.amount)),
        originalCommission: r.explanation.originalCommission,
        percentBps: r.explanation.percentBps,
        baseAmount: r.explanation.baseAmount,
        currency: r.currency,
        occurredAt: r.occurred_at.toISOString(),
        period: r.period,
      }),
    );
  }
}
