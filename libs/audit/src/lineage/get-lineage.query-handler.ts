import {
  LEDGER_ENTRY_COLUMNS,
  type LedgerEntryRow,
  toLedgerEntryDto,
} from '../../../commissions/src/commission-ledger/ledger-entry.row';
import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { LedgerEntryDto } from '../../../commissions/src/commission-ledger/ledger.response.dto';
import { NotFoundError } from '../../../eventsourcing/src/decider';
import { toEventDto } from '../../../feed/src/event.response.dto';
import { assertCanReadSalesperson } from '../../../platform/src/auth/access';
import type { AuthUser } from '../../../platform/src/auth/auth-user';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { type FormulaInputs, recomputeEntry } from './lineage.formula';
import type { LineageAssignmentDto, LineageDto, LineagePlanDto } from './lineage.response.dto';
import { SourceEventLocator } from './source-event.locator';

export class GetLineageQuery {
  constructor(
    readonly entryId: string,
    /** Who asks: a manager reads their team's entries, a rep their own (403 otherwise). */
    readonly viewer: AuthUser,
  ) {}
}

/**
 * The lineage of one ledger entry: the entry, the event it was made from (from the event store),
 * the plan and assignment that applied (from the ledger's read model), and its formula recomputed
 * from the inputs the entry carries. The read models come from READ_DATA_SOURCE (a replica when
 * DATABASE_READ_URL is set); the source event from the store, which is never behind them.
 */
@QueryHandler(GetLineageQuery)
export class GetLineageQueryHandler implements IQueryHandler<GetLineageQuery, LineageDto> {
  constructor(
    @Inject(READ_DATA_SOURCE) private readonly db: DataSource,
    private readonly events: SourceEventLocator,
  ) {}

  async execute({ entryId, viewer }: GetLineageQuery): Promise<LineageDto> {
    const [row] = (await this.db.query(
      `SELECT ${LEDGER_ENTRY_COLUMNS}
         FROM ledger_entries WHERE entry_id = $1`,
      [entryId],
    )) as LedgerEntryRow[];
    if (!row) throw new NotFoundError('Ledger entry', entryId);
    const [person] = (await this.db.query('SELECT team_id FROM ledger_salespeople WHERE salesperson_id = $1', [
      row.salesperson_id,
    ])) as Array<{ team_id: string | null }>;
    assertCanReadSalesperson(viewer, row.salesperson_id, person?.team_id ?? null);

    const explanation = (row.explanation ?? {}) as unknown as FormulaInputs;
    const planId = typeof explanation.planId === 'string' ? explanation.planId : null;
    const assignmentId = typeof explanation.assignmentId === 'string' ? explanation.assignmentId : null;
    const [sourceEvent, plan, assignment] = await Promise.all([
      this.events.find(row.source_event_id, BigInt(row.source_position)),
      planId ? this.plan(planId) : null,
      assignmentId ? this.assignment(assignmentId) : null,
    ]);
    const entry: LedgerEntryDto = toLedgerEntryDto(row);
    return {
      entry,
      sourceEvent: sourceEvent ? toEventDto(sourceEvent) : null,
      plan,
      assignment,
      formula: recomputeEntry(row.type, BigInt(row.amount), explanation),
    };
  }

  private async plan(planId: string): Promise<LineagePlanDto | null> {
    const [p] = (await this.db.query(
      'SELECT plan_id, name, currency, basis, rate_bps, window_days, percent_bps FROM ledger_plans WHERE plan_id = $1',
      [planId],
    )) as Array<{
      plan_id: string;
      name: string;
      currency: string;
      basis: string;
      rate_bps: number;
      window_days: number;
      percent_bps: number;
    }>;
    return p
      ? {
          planId: p.plan_id,
          name: p.name,
          currency: p.currency,
          basis: p.basis,
          rateBps: p.rate_bps,
          clawback: { windowDays: p.window_days, percentBps: p.percent_bps },
        }
      : null;
  }

  private async assignment(assignmentId: string): Promise<LineageAssignmentDto | null> {
    const [a] = (await this.db.query(
      `SELECT assignment_id, salesperson_id, plan_id, effective_from::text AS effective_from
         FROM ledger_assignments WHERE assignment_id = $1`,
      [assignmentId],
    )) as Array<{ assignment_id: string; salesperson_id: string; plan_id: string; effective_from: string }>;
    return a
      ? {
          assignmentId: a.assignment_id,
          salespersonId: a.salesperson_id,
          planId: a.plan_id,
          effectiveFrom: a.effective_from,
        }
      : null;
  }
}
