import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { QuotaSet } from '../../contracts/sales.events';
import { refuse } from '../../sales.errors';
import type { SalespersonState } from '../salesperson.state';
import { largestRemainder } from './largest-remainder';
import type { SetQuota } from './set-quota.command';

/**
 * The quota of one salesperson, year and business unit (or none): the latest QuotaSet of the stream
 * replaces the earlier ones. A salesperson's annual quota is the sum of their streams' quotas.
 */
export type QuotaState = { readonly quotaIds: readonly string[] };

/**
 * Weights must total 10000; the monthly targets are the annual target split by largest
 * remainder (ties to the earlier month), so they sum exactly to it. `businessUnit` is carried only
 * when the quota is for one (stream quota-<salespersonId>.<year>.<businessUnit>).
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
        ...(command.businessUnit != null ? { businessUnit: command.businessUnit } : {}),
      },
    },
  ];
}

export const setQuotaDecider = (salesperson: SalespersonState): Decider<SetQuota, QuotaSet, QuotaState> => ({
  initialState: () => ({ quotaIds: [] }),
  evolve: (state, event) => ({ quotaIds: [...state.quotaIds, event.data.quotaId] }),
  decide: (command, state) => decideSetQuota(command, state, salesperson),
});
