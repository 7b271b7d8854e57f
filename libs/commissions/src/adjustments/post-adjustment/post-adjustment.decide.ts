import type { Decider } from '../../../../eventsourcing/src/decider';
import { DomainError, NotFoundError } from '../../../../eventsourcing/src/decider';
import {
  type CommissionAccountState,
  type CommissionContext,
  evolveCommissionAccount,
  initialCommissionAccount,
} from '../../commission-account.state';
import type { AdjustmentPosted, CommissionsEvent } from '../../contracts/commissions.events';
import type { PostAdjustment } from './post-adjustment.command';

/** A manual ± ledger entry in the period it names; a closed period is refused (PERIOD_CLOSED). */
export function decidePostAdjustment(
  command: PostAdjustment,
  _state: CommissionAccountState,
  context: CommissionContext,
): AdjustmentPosted[] {
  if (!context.salespersonExists) throw new NotFoundError('Salesperson', command.salespersonId);
  if (context.closedPeriods.has(command.period)) {
    throw new DomainError('PERIOD_CLOSED', `Period ${command.period} is closed: post the correction in an open period`);
  }
  if (context.planCurrency !== null && context.planCurrency !== command.amount.currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `Adjustment in ${command.amount.currency}, plan pays in ${context.planCurrency}`,
    );
  }
  return [
    {
      type: 'AdjustmentPosted',
      occurredAt: command.at,
      data: {
        adjustmentId: command.adjustmentId,
        salespersonId: command.salespersonId,
        period: command.period,
        amount: command.amount,
        reason: command.reason,
        approvedBy: command.approvedBy,
      },
    },
  ];
}

export const postAdjustmentDecider = (
  context: CommissionContext,
): Decider<PostAdjustment, CommissionsEvent, CommissionAccountState> => ({
  initialState: initialCommissionAccount,
  evolve: evolveCommissionAccount,
  decide: (command, state) => decidePostAdjustment(command, state, context),
});
