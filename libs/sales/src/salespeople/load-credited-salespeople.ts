import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { loadState } from '../../../platform/src/cqrs/run-command';
import { type SalesCredit, streams } from '../contracts/sales.events';
import { evolvePlan, initialPlanState, type PlanState } from '../plans/plan.state';
import { evolveSalesperson, initialSalespersonState, type SalespersonState } from './salesperson.state';

/**
 * The credited salespeople of a sale (booked or reported by a distributor) and every plan they were
 * ever assigned, each stream read side by side, for the deciders' checks on credited salespeople
 * (credited-salespeople.ts).
 */
export async function loadCreditedSalespeople(
  store: EventStore,
  credits: readonly SalesCredit[],
): Promise<{ salespeople: Map<string, SalespersonState>; plans: Map<string, PlanState> }> {
  const ids = [...new Set(credits.map((c) => c.salespersonId))];
  const loaded = await Promise.all(
    ids.map((id) => loadState(store, streams.salesperson(id), initialSalespersonState, evolveSalesperson)),
  );
  const salespeople = new Map<string, SalespersonState>(ids.map((id, i) => [id, loaded[i]!]));
  const planIds = [...new Set(loaded.filter((s) => s.exists).flatMap((s) => s.assignments.map((a) => a.planId)))];
  const loadedPlans = await Promise.all(
    planIds.map((id) => loadState(store, streams.plan(id), initialPlanState, evolvePlan)),
  );
  return { salespeople, plans: new Map<string, PlanState>(planIds.map((id, i) => [id, loadedPlans[i]!])) };
}
