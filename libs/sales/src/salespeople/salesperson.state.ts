import type { PlanAssigned, SalespersonRegistered, SalespersonTerminated } from '../contracts/sales.events';

export type SalespersonEvent = SalespersonRegistered | PlanAssigned | SalespersonTerminated;

export interface Assignment {
  readonly assignmentId: string;
  readonly planId: string;
  readonly effectiveFrom: string;
}

export type SalespersonState =
  | { readonly exists: false }
  | ({
      readonly exists: true;
      readonly assignments: readonly Assignment[];
      readonly terminatedOn: string | null;
    } & SalespersonRegistered['data']);

export const initialSalespersonState = (): SalespersonState => ({ exists: false });

export function evolveSalesperson(state: SalespersonState, event: SalespersonEvent): SalespersonState {
  switch (event.type) {
    case 'SalespersonRegistered':
      return { exists: true, assignments: [], terminatedOn: null, ...event.data };
    case 'SalespersonTerminated':
      return state.exists ? { ...state, terminatedOn: event.data.terminatedOn } : state;
    case 'PlanAssigned':
      if (!state.exists) return state;
      return {
        ...state,
        assignments: [
          ...state.assignments,
          { assignmentId: event.data.assignmentId, planId: event.data.planId, effectiveFrom: event.data.effectiveFrom },
        ],
      };
    default:
      return state;
  }
}

/**
 * The assignment that applies on a date: the latest effectiveFrom ≤ date; among equal dates the
 * one recorded last (domain.md §2).
 */
export function applicableAssignment(assignments: readonly Assignment[], date: string): Assignment | undefined {
  let best: Assignment | undefined;
  for (const a of assignments) {
    if (a.effectiveFrom <= date && (!best || a.effectiveFrom >= best.effectiveFrom)) best = a;
  }
  return best;
}
