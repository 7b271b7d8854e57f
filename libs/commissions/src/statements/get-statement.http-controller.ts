import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { type AuthUser, CurrentUser } from '../../../platform/src/auth/auth-user';
import { Roles } from '../../../platform/src/auth/roles';
import { EVENT_STORE } from '../../../platform/src/cqrs/tokens';
import { ConsistentRead } from '../../../platform/src/http/consistent-read';
import { IdParamPipe } from '../../../platform/src/http/id-param.pipe';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { isValidPeriod } from '../../../shared-kernel/src/time';
import { GetLedgerQuery } from '../commission-ledger/get-ledger.query-handler';
import type { LedgerDto } from '../commission-ledger/ledger.response.dto';
import { type PeriodClosed, PERIODS_STREAM } from '../contracts/commissions.events';
import { statementDigest } from '../periods/close-period/period-statements';

/** The ledger of one period plus whether it is closed and the digest of its entries. */
export interface StatementDto extends LedgerDto {
  readonly closed: boolean;
  /** SHA-256 of the period's entries (the same digest PeriodClosed records). */
  readonly digest: string;
  /** The digest recorded when the period was closed, if it is. */
  readonly recordedDigest: string | null;
}

const csvCell = (v: unknown) => {
  const text = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * One table: an OPENING line, every entry with its explanation, a CLOSING line; and, when a plan
 * holds commission back (docs/plans-and-channels.md), RELEASED (released in the period), HELD (held
 * at its end) and PAYABLE (closing − held) lines after CLOSING.
 */
export function statementCsv(s: StatementDto): string {
  const head = [
    'line',
    'salespersonId',
    'period',
    'entryId',
    'type',
    'amount',
    'currency',
    'originalPeriod',
    'orderId',
    'occurredAt',
    'trigger',
    'baseAmount',
    'splitBps',
    'rateBps',
    'percentBps',
    'planId',
    'formula',
    'held',
    'releaseOn',
    'blendedRateBps',
  ];
  const rows: unknown[][] = [head, ['OPENING', s.salespersonId, s.period, '', '', s.opening, s.currency]];
  for (const e of s.entries) {
    const x = e.explanation as unknown as Record<string, unknown>;
    rows.push([
      'ENTRY',
      e.salespersonId,
      e.period,
      e.entryId,
      e.type,
      e.amount,
      e.currency,
      e.originalPeriod,
      e.orderId,
      e.occurredAt,
      x.trigger,
      x.baseAmount,
      x.splitBps,
      x.rateBps,
      x.percentBps,
      x.planId,
      x.formula,
      e.held,
      e.releaseOn,
      x.blendedRateBps,
    ]);
  }
  rows.push(['CLOSING', s.salespersonId, s.period, '', '', s.closing, s.currency]);
  if (s.heldBalance !== 0 || s.released !== 0 || s.held !== 0) {
    rows.push(['RELEASED', s.salespersonId, s.period, '', '', s.released, s.currency]);
    rows.push(['HELD', s.salespersonId, s.period, '', '', s.heldBalance, s.currency]);
    rows.push(['PAYABLE', s.salespersonId, s.period, '', '', s.payable, s.currency]);
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

@ApiTags('ledger')
@Controller('salespeople/:id/statements/:period')
export class GetStatementHttpController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** JSON, or CSV with `Accept: text/csv` or `?format=csv`: the same figures as the ledger. */
  @Get()
  @Roles('manager', 'rep', 'compliance', 'finance', 'sales-ops')
  @ConsistentRead('commission-ledger')
  @ApiParam({ name: 'period', example: '2026-01' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    schema: {
      example: {
        salespersonId: 'alice',
        period: '2026-01',
        currency: 'USD',
        opening: 0,
        earned: 600000,
        clawedBack: 0,
        adjustments: 0,
        paidOut: 0,
        closing: 600000,
        entries: [],
        closed: true,
        digest: '9f2c…',
        recordedDigest: '9f2c…',
      },
    },
  })
  async get(
    @Param('id', IdParamPipe) salespersonId: string,
    @Param('period') period: string,
    @CurrentUser() user: AuthUser,
    @Req() request: Request,
    @Res() response: Response,
    @Query('format') format?: string,
  ): Promise<void> {
    if (!isValidPeriod(period))
      throw new ValidationFailedException([{ field: 'period', message: 'period must be a month YYYY-MM' }]);
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw new ValidationFailedException([{ field: 'format', message: 'format must be json or csv' }]);
    }
    const ledger = (await this.queries.execute(new GetLedgerQuery(salespersonId, period, null, user))) as LedgerDto;
    let recordedDigest: string | null = null;
    let closed = false;
    for (const event of await this.store.readStream(PERIODS_STREAM)) {
      const data = event.data as PeriodClosed['data'];
      if (event.type !== 'PeriodClosed' || data.period !== period) continue;
      closed = true;
      recordedDigest = data.statements.find((s) => s.salespersonId === salespersonId)?.digest ?? null;
    }
    const statement: StatementDto = {
      ...ledger,
      closed,
      digest: statementDigest(
        ledger.entries.map((e) => ({
          entryId: e.entryId,
          type: e.type,
          amount: e.amount,
          currency: e.currency,
          period: e.period,
          originalPeriod: e.originalPeriod,
          sourceEventId: e.sourceEventId,
        })),
      ),
      recordedDigest,
    };
    const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/.test(request.header('accept') ?? ''));
    if (wantsCsv) {
      response
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="statement-${salespersonId}-${period}.csv"`);
      response.send(statementCsv(statement));
      return;
    }
    response.status(200).json(statement);
  }
}
