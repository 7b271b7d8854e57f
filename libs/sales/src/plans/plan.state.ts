import type { PlanCreated } from '../contracts/sales.events';

export type PlanState = { readonly exists: false } | ({ readonly exists: true } & PlanCreated['data']);

export const initialPlanState = (): PlanState => ({ exists: false });

export function evolvePlan(state: PlanState, event: PlanCreated): PlanState {
  switch (event.type) {
    case 'PlanCreated':
      return { exists: true, ...event.data };
    default:
      return state;
  }
}
