import type { PeriodStatement } from '../../contracts/commissions.events';

export interface ClosePeriod {
  readonly type: 'ClosePeriod';
  readonly period: string;
  readonly closedBy: string;
  /** When the command was received (to refuse closing a period that has not ended). */
  readonly at: string;
  /** Computed by the handler from the caught-up ledger. */
  readonly statements: readonly PeriodStatement[];
  readonly throughPosition: string | null;
  /** The ledger checkpoint's log position (`major/minor`) in the snapshot the statements were read from. */
  readonly throughLogPosition: string | null;
  /** Periods before this one that have ledger entries. */
  readonly earlierPeriodsWithActivity: readonly string[];
}
