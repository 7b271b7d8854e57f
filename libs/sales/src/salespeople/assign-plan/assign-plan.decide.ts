import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { PlanAssigned } from '../../contracts/sales.events';
import type { PlanState } from '../../plans/plan.state';
import {
  evolveSalesperson,
  initialSalespersonState,
  type SalespersonEvent,
  type SalespersonState,
} from '../salesperson.state';
import type { AssignPlan } from './assign-plan.command';

export function decideAssignPlan(command: AssignPlan, state: SalespersonState, plan: PlanState): PlanAssigned[] {
  if (!state.exists) throw new NotFoundError('Salesperson', command.salespersonId);
  if (!plan.exists) throw new NotFoundError('Plan', command.planId);
  return [
    {
      type: 'PlanAssigned',
      occurredAt: `${command.effectiveFrom}T00:00:00.000Z`,
      data: {
        assignmentId: command.assignmentId,
        salespersonId: command.salespersonId,
        planId: command.planId,
        effectiveFrom: command.effectiveFrom,
      },
    },
  ];
}

export const assignPlanDecider = (plan: PlanState): Decider<AssignPlan, SalespersonEvent, SalespersonState> => ({
  initialState: initialSalespersonState,
  evolve: evolveSalesperson,
  decide: (command, state) => decideAssignPlan(command, state, plan),
});
