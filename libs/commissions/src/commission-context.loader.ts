import type { EventStore } from '../../eventsourcing/src/event-store.port';
import { loadState } from '../../platform/src/cqrs/run-command';
import { streams } from '../../sales/src/contracts/sales.events';
import { evolvePlan, initialPlanState } from '../../sales/src/plans/plan.state';
import {
  applicableAssignment,
  evolveSalesperson,
  initialSalespersonState,
} from '../../sales/src/salespeople/salesperson.state';
import type { CommissionContext } from './commission-account.state';
import { PERIODS_STREAM } from './contracts/commissions.events';

/** Reads what adjustment and payout decisions need: the salesperson, their plan, closed periods. */
export async function loadCommissionContext(
  store: EventStore,
  salespersonId: string,
  onDate: string,
): Promise<CommissionContext> {
  const salesperson = await loadState(
    store,
    streams.salesperson(salespersonId),
    initialSalespersonState,
    evolveSalesperson,
  );
  let planCurrency: string | null = null;
  if (salesperson.exists) {
    const assignment =
      applicableAssignment(salesperson.assignments, onDate) ??
      salesperson.assignments[salesperson.assignments.length - 1];
    if (assignment) {
      const plan = await loadState(store, streams.plan(assignment.planId), initialPlanState, evolvePlan);
      if (plan.exists) planCurrency = plan.currency;
    }
  }
  const closedPeriods = new Set<string>();
  for (const event of await store.readStream(PERIODS_STREAM)) {
    if (event.type === 'PeriodClosed') closedPeriods.add((event.data as { period: string }).period);
  }
  return { salespersonExists: salesperson.exists, planCurrency, closedPeriods };
}
