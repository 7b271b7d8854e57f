import type { Decider } from '../../../../eventsourcing/src/decider';
import { DomainError, NotFoundError } from '../../../../eventsourcing/src/decider';
import {
  type CommissionAccountState,
  type CommissionContext,
  evolveCommissionAccount,
  initialCommissionAccount,
} from '../../commission-account.state';
import type { CommissionsEvent, PayoutRecorded } from '../../contracts/commissions.events';
import type { RecordPayout } from './record-payout.command';

/**
 * A payout (amount > 0) posts in the period of paidAt. It may exceed the balance: the balance goes
 * negative and later earnings recover it. (A payout dated in a closed period is posted to the
 * first open period by the ledger, as a prior-period entry.)
 */
export function decideRecordPayout(
  command: RecordPayout,
  _state: CommissionAccountState,
  context: CommissionContext,
): PayoutRecorded[] {
  if (!context.salespersonExists) throw new NotFoundError('Salesperson', command.salespersonId);
  if (context.planCurrency !== null && context.planCurrency !== command.amount.currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `Payout in ${command.amount.currency}, plan pays in ${context.planCurrency}`,
    );
  }
  return [
    {
      type: 'PayoutRecorded',
      occurredAt: command.paidAt,
      data: {
        payoutId: command.payoutId,
        salespersonId: command.salespersonId,
        amount: command.amount,
        paidAt: command.paidAt,
      },
    },
  ];
}

export const recordPayoutDecider = (
  context: CommissionContext,
): Decider<RecordPayout, CommissionsEvent, CommissionAccountState> => ({
  initialState: initialCommissionAccount,
  evolve: evolveCommissionAccount,
  decide: (command, state) => decideRecordPayout(command, state, context),
});
