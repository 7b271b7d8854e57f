import type { CommissionsEvent } from './contracts/commissions.events';

/** A salesperson's commission stream: adjustments and payouts so far (ids only: rules need no more). */
export interface CommissionAccountState {
  readonly adjustments: number;
  readonly payouts: number;
}

export const initialCommissionAccount = (): CommissionAccountState => ({ adjustments: 0, payouts: 0 });

export function evolveCommissionAccount(
  state: CommissionAccountState,
  event: CommissionsEvent,
): CommissionAccountState {
  switch (event.type) {
    case 'AdjustmentPosted':
      return { ...state, adjustments: state.adjustments + 1 };
    case 'PayoutRecorded':
      return { ...state, payouts: state.payouts + 1 };
    default:
      return state;
  }
}

/** What the rules need to know about the salesperson and the periods. */
export interface CommissionContext {
  readonly salespersonExists: boolean;
  /** Currency of the salesperson's current plan, if any. */
  readonly planCurrency: string | null;
  /** Periods already closed. */
  readonly closedPeriods: ReadonlySet<string>;
}
