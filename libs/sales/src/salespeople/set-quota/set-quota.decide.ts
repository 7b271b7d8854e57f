import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { QuotaSet } from '../../contracts/sales.events';
import { refuse } from '../../sales.errors';
import type { SalespersonState } from '../salesperson.state';
import { largestRemainder } from './largest-remainder';
import type { SetQuota } from './set-quota.command';

/** The quota of one salesperson and year: the latest QuotaSet replaces the earlier ones. */
export type QuotaState = { readonly quotaIds: readonly string[] };

/**
 * Weights must total 10000; the monthly targets are the annual target split by largest
 * remainder (ties to the earlier month), so they sum exactly to it.
 */
export function decideSetQuota(command: SetQuota, _state: QuotaState, salesperson: SalespersonState): QuotaSet[] {
  if (!salesperson.exists) throw new NotFoundError('Salesperson', command.salespersonId);
  const total = command.monthlyWeightsBps.reduce((a, b) => a + b, 0);
  if (total !== 10_000) throw refuse.weights(total);
  return [
    {
      type: 'QuotaSet',
      occurredAt: `${command.year}-01-01T00:00:00.000Z`,
      data: {
        quotaId: command.quotaId,
        salespersonId: command.salespersonId,
        year: command.year,
        annualTarget: command.annualTarget,
        monthlyWeightsBps: [...command.monthlyWeightsBps],
        monthlyTargets: largestRemainder(command.annualTarget.amount, command.monthlyWeightsBps),
      },
    },
  ];
}

export const setQuotaDecider = (salesperson: SalespersonState): Decider<SetQuota, QuotaSet, QuotaState> => ({
  initialState: () => ({ quotaIds: [] }),
  evolve: (state, event) => ({ quotaIds: [...state.quotaIds, event.data.quotaId] }),
  decide: (command, state) => decideSetQuota(command, state, salesperson),
});
