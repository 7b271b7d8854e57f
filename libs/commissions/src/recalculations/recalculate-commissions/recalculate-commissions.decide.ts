import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import {
  type CommissionAccountState,
  type CommissionContext,
  evolveCommissionAccount,
  initialCommissionAccount,
} from '../../commission-account.state';
import type { CommissionsEvent, CommissionsRecalculated } from '../../contracts/commissions.events';
import type { RecalculateCommissions } from './recalculate-commissions.command';

/**
 * Records an explicit request to recalculate a salesperson's open periods under the plan
 * assignments recorded now (domain.md §2: never a side effect). The decision only checks that the
 * salesperson exists; what it changes is the ledger's (docs/plans-and-channels.md § Retroactive
 * recalculation), each difference an ADJUSTMENT whose source is this event.
 */
export function decideRecalculateCommissions(
  command: RecalculateCommissions,
  _state: CommissionAccountState,
  context: Pick<CommissionContext, 'salespersonExists'>,
): CommissionsRecalculated[] {
  if (!context.salespersonExists) throw new NotFoundError('Salesperson', command.salespersonId);
  return [
    {
      type: 'CommissionsRecalculated',
      occurredAt: command.at,
      data: {
        recalculationId: command.recalculationId,
        salespersonId: command.salespersonId,
        fromPeriod: command.fromPeriod,
        reason: command.reason,
        requestedBy: command.requestedBy,
      },
    },
  ];
}

export const recalculateCommissionsDecider = (
  context: Pick<CommissionContext, 'salespersonExists'>,
): Decider<RecalculateCommissions, CommissionsEvent, CommissionAccountState> => ({
  initialState: initialCommissionAccount,
  evolve: evolveCommissionAccount,
  decide: (command, state) => decideRecalculateCommissions(command, state, context),
});
