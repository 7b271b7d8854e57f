import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { type ReadScope, scopeCondition } from '../../../platform/src/auth/read-scope';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { type Page, type PageRequest, toPage } from '../../../platform/src/http/pagination';
import type { LedgerExceptionDto } from './exception.response.dto';

export class ListExceptionsQuery {
  constructor(
    readonly filter: { readonly code?: string },
    readonly scope: ReadScope,
    /** `after`: `<source position>:<exception id>` of the previous page's last row. */
    readonly page: PageRequest,
  ) {}
}

/** The ledger's exceptions (NO_PLAN, …) in the order of the events that raised them. */
@QueryHandler(ListExceptionsQuery)
export class ListExceptionsQueryHandler implements IQueryHandler<ListExceptionsQuery, Page<LedgerExceptionDto>> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute({ filter, scope, page }: ListExceptionsQuery): Promise<Page<LedgerExceptionDto>> {
    const params: unknown[] = [];
    const where = [scopeCondition(scope, 'salesperson_id', params)];
    if (filter.code) {
      params.push(filter.code);
      where.push(`code = $${params.length}`);
    }
    if (page.after) {
      const [position, exceptionId] = page.after.split(':');
      params.push(position, exceptionId);
      where.push(`(source_position, exception_id) > ($${params.length - 1}::bigint, $${params.length}::uuid)`);
    }
    params.push(page.limit + 1);
    const rows = (await this.db.query(
      `SELECT exception_id::text AS exception_id, code, order_id, salesperson_id, detail,
              source_position::text AS source_position, resolved_by_event_id::text AS resolved_by_event_id,
              resolved_at
         FROM ledger_exceptions WHERE ${where.join(' AND ')}
        ORDER BY ledger_exceptions.source_position, ledger_exceptions.exception_id LIMIT $${params.length}`,
      params,
    )) as Array<{
      exception_id: string;
      code: string;
      order_id: string | null;
      salesperson_id: string | null;
      detail: string;
      source_position: string;
      resolved_by_event_id: string | null;
      resolved_at: Date | null;
    }>;
    return toPage(
      rows,
      page,
      (r) => `${r.source_position}:${r.exception_id}`,
      (r) => ({
        code: r.code,
        orderId: r.order_id,
        salespersonId: r.salesperson_id,
        detail: r.detail,
        sourcePosition: r.source_position,
        resolvedByEventId: r.resolved_by_event_id,
        resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
      }),
    );
  }
}
