import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../../eventsourcing/src/decider';
import { assertCanReadSalesperson } from '../../../platform/src/auth/access';
import type { AuthUser } from '../../../platform/src/auth/auth-user';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { toSafeNumber } from '../../../shared-kernel/src/money';
import {
  ledgerEntryColumnsAsKnownAt,
  type LedgerEntryRow,
  ledgerPeriodAsKnownAt,
  toLedgerEntryDto,
} from './ledger-entry.row';
import type { LedgerDto } from './ledger.response.dto';

export class GetLedgerQuery {
  constructor(
    readonly salespersonId: string,
    readonly period: string,
    /**
     * Only entries whose source event was recorded by then (audits), each in the period it was in
     * then (an entry a later period close reposted shows where it was); null: everything, now.
     */
    readonly knownAt: Date | null,
    /** Who asks: their roles scope what they may read (403). Null: an internal caller, no scoping. */
    readonly viewer: AuthUser | null = null,
  ) {}
}

/**
 * A salesperson's ledger for one period:
 * closing = opening + earned − clawedBack + adjustments − paidOut, opening = previous closing.
 * As known at `knownAt`: entries recorded by then, in the period they were in then.
 */
@QueryHandler(GetLedgerQuery)
export class GetLedgerQueryHandler implements IQueryHandler<GetLedgerQuery, LedgerDto> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute(query: GetLedgerQuery): Promise<LedgerDto> {
    const [person] = (await this.db.query('SELECT team_id FROM ledger_salespeople WHERE salesperson_id = $1', [
      query.salespersonId,
    ])) as Array<{ team_id: string | null }>;
    // Scope before existence: whoever may not read a salesperson learns nothing (403, never 404).
    if (query.viewer) assertCanReadSalesperson(query.viewer, query.salespersonId, person?.team_id ?? null);
    if (!person) throw new NotFoundError('Salesperson', query.salespersonId);
    const knownAt = query.knownAt?.toISOString() ?? null;
    const period = ledgerPeriodAsKnownAt('$3::timestamptz');
    // A hold is released in the period of its release date, or the period it was posted to if later.
    const released = `greatest(${period}, coalesce(to_char(release_on, 'YYYY-MM'), ${period}))`;
    const [totals] = (await this.db.query(
      `SELECT coalesce(sum(amount) FILTER (WHERE ${period} < $2), 0)::text AS opening,
              coalesce(sum(amount) FILTER (WHERE ${period} = $2 AND type = 'EARNED'), 0)::text AS earned,
              coalesce(-sum(amount) FILTER (WHERE ${period} = $2 AND type = 'CLAWBACK'), 0)::text AS clawed_back,
              coalesce(sum(amount) FILTER (WHERE ${period} = $2 AND type = 'ADJUSTMENT'), 0)::text AS adjustments,
              coalesce(-sum(amount) FILTER (WHERE ${period} = $2 AND type = 'PAYOUT'), 0)::text AS paid_out,
              coalesce(sum(held) FILTER (WHERE ${period} = $2), 0)::text AS held,
              coalesce(sum(held) FILTER (WHERE ${released} = $2), 0)::text AS released,
              coalesce(sum(held) FILTER (WHERE ${released} > $2), 0)::text AS held_balance
         FROM ledger_entries
        WHERE salesperson_id = $1 AND ${period} <= $2
          AND ($3::timestamptz IS NULL OR recorded_at <= $3::timestamptz)`,
      [query.salespersonId, query.period, knownAt],
    )) as Array<{
      opening: string;
      earned: string;
      clawed_back: string;
      adjustments: string;
      paid_out: string;
      held: string;
      released: string;
      held_balance: string;
    }>;
    const rows = (await this.db.query(
      `SELECT ${ledgerEntryColumnsAsKnownAt('$3::timestamptz')} FROM ledger_entries
        WHERE ledger_entries.salesperson_id = $1 AND ${period} = $2
          AND ($3::timestamptz IS NULL OR ledger_entries.recorded_at <= $3::timestamptz)
        ORDER BY ledger_entries.seq`,
      [query.salespersonId, query.period, knownAt],
    )) as LedgerEntryRow[];
    const currency = rows[0]?.currency ?? (await this.planCurrency(query.salespersonId));
    const opening = BigInt(totals?.opening ?? '0');
    const earned = BigInt(totals?.earned ?? '0');
    const clawedBack = BigInt(totals?.clawed_back ?? '0');
    const adjustments = BigInt(totals?.adjustments ?? '0');
    const paidOut = BigInt(totals?.paid_out ?? '0');
    const closing = opening + earned - clawedBack + adjustments - paidOut;
    const heldBalance = BigInt(totals?.held_balance ?? '0');
    return {
      salespersonId: query.salespersonId,
      period: query.period,
      currency,
      opening: toSafeNumber(opening),
      earned: toSafeNumber(earned),
      clawedBack: toSafeNumber(clawedBack),
      adjustments: toSafeNumber(adjustments),
      paidOut: toSafeNumber(paidOut),
      closing: toSafeNumber(closing),
      held: toSafeNumber(BigInt(totals?.held ?? '0')),
      released: toSafeNumber(BigInt(totals?.released ?? '0')),
      heldBalance: toSafeNumber(heldBalance),
      payable: toSafeNumber(closing - heldBalance),
      entries: rows.map(toLedgerEntryDto),
    };
  }

  /** With no entry in the period, the currency of the salesperson's latest plan. */
  private async planCurrency(salespersonId: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT p.currency FROM ledger_assignments a JOIN ledger_plans p ON p.plan_id = a.plan_id
        WHERE a.salesperson_id = $1 ORDER BY a.effective_from DESC, a.seq DESC LIMIT 1`,
      [salespersonId],
    )) as Array<{ currency: string }>;
    return rows[0]?.currency ?? null;
  }
}
