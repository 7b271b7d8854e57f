/**
 * What a sale (booked, or reported by a distributor) checks of the salespeople it credits, on its
 * date: each exists and had not left, and the plan that applies to them then pays in the sale's
 * currency. A salesperson without an applicable plan does not refuse it: the ledger lists NO_PLAN.
 */
import { NotFoundError } from '../../../eventsourcing/src/decider';
import type { SalesCredit } from '../contracts/sales.events';
import type { PlanState } from '../plans/plan.state';
import { refuse } from '../sales.errors';
import { applicableAssignment, type SalespersonState } from './salesperson.state';

export function checkCreditedSalespeople(
  credits: readonly SalesCredit[],
  date: string,
  currency: string,
  salespeople: ReadonlyMap<string, SalespersonState>,
  plans: ReadonlyMap<string, PlanState>,
): void {
  for (const credit of credits) {
    const salesperson = salespeople.get(credit.salespersonId);
    if (!salesperson?.exists) throw new NotFoundError('Salesperson', credit.salespersonId);
    if (salesperson.terminatedOn !== null && salesperson.terminatedOn < date) {
      throw refuse.terminated(credit.salespersonId, salesperson.terminatedOn);
    }
    const assignment = applicableAssignment(salesperson.assignments, date);
    const plan = assignment ? plans.get(assignment.planId) : undefined;
    if (plan?.exists && plan.currency !== currency) {
      throw refuse.currencyMismatch(credit.salespersonId, plan.currency, currency);
    }
  }
}
